"""Creating, editing, finding, transferring and covering clients through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, ClientStatus, ClientTransfer, Coverage
from clients.services import client_set_status, client_update, coverage_add
from practice.audit.models import AuditEvent
from tests.factories import ClientFactory, CounselorFactory, SupervisionFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def client_form_data(**overrides) -> dict:
    data = {
        "legal_first_name": "Grace",
        "legal_last_name": "Hopper",
        "preferred_name": "",
        "pronouns": "she/her",
        "date_of_birth": "1985-12-09",
        "email": "grace@client.test",
        "phone": "555 0100",
        "address": "1 Harbour Street\nPortsmouth",
        "emergency_contact_name": "Vincent Hopper",
        "emergency_contact_relationship": "Husband",
        "emergency_contact_phone": "555 0101",
        "may_write": "on",
        "may_email": "on",
        "language": "en",
        "presenting_concerns": "Low mood since a move.",
        "intake_date": today().isoformat(),
    }
    return {**data, **overrides}


# Create ---------------------------------------------------------------------------------------


def test_it_creates_a_client_for_the_signed_in_counselor(client, owner):
    client.force_login(owner)
    response = client.post(reverse("client_create"), client_form_data())
    created = Client.objects.get(legal_last_name="Hopper")
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", args=[created.pk])
    assert created.primary_counselor == owner
    assert created.address == "1 Harbour Street\nPortsmouth" and created.may_write
    assert AuditEvent.objects.filter(client_id=created.pk, action=AuditEvent.Action.CREATE).exists()


def test_a_future_date_of_birth_is_shown_beside_the_field_with_the_typed_values(client, owner):
    client.force_login(owner)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("client_create"), client_form_data(date_of_birth=tomorrow, legal_first_name="Gráce")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert form["legal_first_name"].value() == "Gráce"
    assert form["date_of_birth"].value() == tomorrow
    content = response.content.decode()
    assert 'value="Gráce"' in content and "cannot be in the future" in content
    assert not Client.objects.exists()


def test_supervisors_who_carry_no_caseload_cannot_create_clients(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("client_create")).status_code == 404


# Edit -----------------------------------------------------------------------------------------


def test_the_edit_page_carries_the_record_version(client, owner, own_client):
    client.force_login(owner)
    response = client.get(reverse("client_edit", args=[own_client.pk]))
    assert response.context["version"] == own_client.updated_at.isoformat()
    assert (
        f'name="version" value="{own_client.updated_at.isoformat()}"' in response.content.decode()
    )
    assert response.context["form"]["legal_first_name"].value() == "Ada"


def test_it_saves_an_edit_and_audits_the_view_and_the_change(client, owner, own_client):
    client.force_login(owner)
    url = reverse("client_edit", args=[own_client.pk])
    client.get(url)
    response = client.post(
        url,
        client_form_data(
            legal_first_name="Ada",
            legal_last_name="Lovelace",
            preferred_name="Ada L.",
            version=own_client.updated_at.isoformat(),
        ),
    )
    assert response.status_code == 302
    own_client.refresh_from_db()
    assert own_client.preferred_name == "Ada L."
    actions = set(
        AuditEvent.objects.filter(client_id=own_client.pk, actor=owner).values_list(
            "action", flat=True
        )
    )
    assert {AuditEvent.Action.VIEW, AuditEvent.Action.UPDATE} <= actions


def test_a_stale_edit_keeps_the_typed_values_and_shows_the_saved_ones(client, owner, own_client):
    client.force_login(owner)
    stale_version = own_client.updated_at.isoformat()
    client_update(actor=owner, client=own_client, phone="555 7777")  # someone else saves
    url = reverse("client_edit", args=[own_client.pk])
    data = client_form_data(phone="555 0000", version=stale_version)
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone changed this record after you opened it" in content
    assert response.context["form"]["phone"].value() == "555 0000"
    assert ("Phone", "555 7777") in response.context["differences"]
    own_client.refresh_from_db()
    assert own_client.phone == "555 7777"
    # The page now carries the current version, so saving again (after comparing) succeeds.
    assert response.context["version"] == own_client.updated_at.isoformat()
    again = client.post(url, {**data, "version": response.context["version"]})
    assert again.status_code == 302
    own_client.refresh_from_db()
    assert own_client.phone == "555 0000"


def test_a_closed_record_shows_the_lock_message_on_edit(client, owner, own_client):
    client_set_status(actor=owner, client=own_client, status=ClientStatus.CLOSED)
    client.force_login(owner)
    response = client.post(
        reverse("client_edit", args=[own_client.pk]), client_form_data(phone="555 1234")
    )
    assert response.status_code == 200
    assert "closed and locked" in response.content.decode()
    own_client.refresh_from_db()
    assert own_client.phone == ""


def test_a_colleague_cannot_edit_a_client_they_do_not_cover(client, colleague, own_client):
    client.force_login(colleague)
    assert client.get(reverse("client_edit", args=[own_client.pk])).status_code == 404
    assert (
        client.post(reverse("client_edit", args=[own_client.pk]), client_form_data()).status_code
        == 404
    )


# Search ---------------------------------------------------------------------------------------


def test_search_finds_only_clients_the_user_may_read(client, owner, own_client, colleagues_client):
    client.force_login(owner)
    response = client.get(reverse("client_search"), {"q": "ada"})
    assert [found.pk for found in response.context["results"]] == [own_client.pk]
    assert client.get(reverse("client_search"), {"q": "Gauss"}).context["results"] == []
    content = response.content.decode()
    assert "Olivia Owner" in content and "Active" in content


def test_supervisors_search_their_supervisees_clients(client, supervisor, own_client):
    client.force_login(supervisor)
    response = client.get(reverse("client_search"), {"q": "LOVE"})
    assert [found.pk for found in response.context["results"]] == [own_client.pk]


def test_a_search_with_unusable_text_is_refused_politely(client, owner, own_client):
    client.force_login(owner)
    response = client.get(reverse("client_search"), {"q": "a\x00b"})
    assert response.status_code == 200 and response.context["results"] == []
    assert response.context["form"].errors


def test_practice_admins_do_not_get_the_clinical_search(client, practice_admin):
    client.force_login(practice_admin)
    assert client.get(reverse("client_search")).status_code == 404


# Transfer and cover ---------------------------------------------------------------------------


def test_a_supervisor_transfers_a_client_between_supervisees(
    client, supervisor, owner, colleague, own_client
):
    other_supervisee = CounselorFactory()
    SupervisionFactory(supervisor=supervisor, supervisee=other_supervisee)
    client.force_login(supervisor)
    url = reverse("client_transfer", args=[own_client.pk])
    choices = list(client.get(url).context["form"].fields["to_counselor"].queryset)
    assert {colleague, other_supervisee} <= set(choices) and owner not in choices
    response = client.post(
        url,
        {
            "to_counselor": other_supervisee.pk,
            "transferred_on": today().isoformat(),
            "reason": "Leave",
        },
    )
    # Still the supervisor's supervisee's client, so back to the client page.
    assert response["Location"] == reverse("client_detail", args=[own_client.pk])
    own_client.refresh_from_db()
    assert own_client.primary_counselor == other_supervisee
    transfer = ClientTransfer.objects.get(client=own_client)
    assert transfer.reason == "Leave" and transfer.recorded_by == supervisor
    page = client.get(response["Location"]).content.decode()
    assert "Olivia Owner → " in page and "Leave" in page


def test_a_transfer_out_of_the_supervisors_reach_returns_home(
    client, supervisor, colleague, own_client
):
    client.force_login(supervisor)
    response = client.post(
        reverse("client_transfer", args=[own_client.pk]),
        {"to_counselor": colleague.pk, "transferred_on": today().isoformat(), "reason": "Fit"},
    )
    assert response["Location"] == reverse("home")


def test_a_practice_admin_transfers_and_returns_home(client, practice_admin, colleague, own_client):
    client.force_login(practice_admin)
    response = client.post(
        reverse("client_transfer", args=[own_client.pk]),
        {"to_counselor": colleague.pk, "transferred_on": today().isoformat(), "reason": "Fit"},
    )
    assert response["Location"] == reverse("home")


def test_a_transfer_without_reason_or_to_the_same_counselor_is_refused(
    client, practice_admin, owner, own_client
):
    client.force_login(practice_admin)
    response = client.post(
        reverse("client_transfer", args=[own_client.pk]),
        {"to_counselor": owner.pk, "transferred_on": "", "reason": ""},
    )
    form = response.context["form"]
    assert set(form.errors) == {"to_counselor", "transferred_on", "reason"}
    assert not ClientTransfer.objects.exists()


def test_the_counselor_arranges_cover(client, owner, colleague, own_client):
    client.force_login(owner)
    response = client.post(
        reverse("client_cover", args=[own_client.pk]),
        {
            "counselor": colleague.pk,
            "starts_on": today().isoformat(),
            "ends_on": (today() + dt.timedelta(days=7)).isoformat(),
            "reason": "Annual leave",
        },
    )
    assert response.status_code == 302
    assert Coverage.objects.get(client=own_client).counselor == colleague
    page = client.get(reverse("client_detail", args=[own_client.pk])).content.decode()
    assert "Colin Colleague, LPC covers" in page and "Annual leave" in page


def test_a_covering_counselor_is_told_they_cannot_arrange_more_cover(
    client, owner, colleague, own_client
):
    coverage_add(
        actor=owner, client=own_client, counselor=colleague, starts_on=today(), ends_on=today()
    )
    client.force_login(colleague)
    response = client.post(
        reverse("client_cover", args=[own_client.pk]),
        {
            "counselor": CounselorFactory().pk,
            "starts_on": today().isoformat(),
            "ends_on": today().isoformat(),
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert "You cannot arrange cover for this client." in response.content.decode()


def test_cover_that_ends_before_it_starts_shows_beside_the_end_date(
    client, owner, colleague, own_client
):
    client.force_login(owner)
    response = client.post(
        reverse("client_cover", args=[own_client.pk]),
        {
            "counselor": colleague.pk,
            "starts_on": today().isoformat(),
            "ends_on": (today() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.context["form"].errors["ends_on"] == ["Cover cannot end before it starts."]


# The client page ------------------------------------------------------------------------------


def test_the_client_page_shows_details_and_links_by_permission(
    client, owner, supervisor, practice_admin, own_client
):
    own_client.presenting_concerns = "Panic at work"
    own_client.emergency_contact_name = "Charles Babbage"
    own_client.save()
    url = reverse("client_detail", args=[own_client.pk])
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Panic at work" in page and "Charles Babbage" in page
    assert reverse("client_edit", args=[own_client.pk]) in page
    assert reverse("client_cover", args=[own_client.pk]) in page
    assert reverse("client_transfer", args=[own_client.pk]) not in page
    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert reverse("client_edit", args=[own_client.pk]) not in page
    assert reverse("client_transfer", args=[own_client.pk]) in page
    assert AuditEvent.objects.filter(
        client_id=own_client.pk, actor=supervisor, action=AuditEvent.Action.VIEW
    ).exists()


def test_the_client_page_marks_a_minor(client, owner):
    born = today().replace(year=today().year - 12) - dt.timedelta(days=3)
    child = ClientFactory(primary_counselor=owner, date_of_birth=born)
    client.force_login(owner)
    page = client.get(reverse("client_detail", args=[child.pk])).content.decode()
    assert "<strong>minor</strong>" in page
