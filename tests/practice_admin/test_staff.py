"""Staff: invitations with a one-time link, roles, supervision links, deactivation that signs
the person out at once, reactivation and removing an authenticator."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.administration import services as services
from practice.audit.models import AuditEvent
from practice.policy.models import PracticePolicy
from practice.staff.models import Supervision, User
from tests.factories import ClientFactory, CounselorFactory, SupervisionFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TODAY = timezone.localdate

INVITE = {
    "first_name": "Nadia",
    "last_name": "Rahman",
    "email": "nadia@practice.test",
    "username": "nrahman",
    "roles": ["counselor", "supervisor"],
    "credentials": "LPC-S",
}


def invitation_link(message) -> str:
    return re.search(r"https?://\S+/account/password-reset/\S+/", message.body).group(0)


# Invitations -----------------------------------------------------------------------------------


def can_sign_in(username: str, password: str) -> bool:
    response = Browser().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_it_mails_an_invitation_link_that_sets_the_password_once(
    admin_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_session.post(reverse("admin_staff_invite"), INVITE)
    member = User.objects.get(username="nrahman")
    assert response["Location"] == reverse("admin_staff_detail", args=[member.pk])
    assert (member.is_counselor, member.is_supervisor, member.is_practice_admin) == (
        True,
        True,
        False,
    )
    assert not member.has_usable_password()

    [message] = mail.outbox
    assert message.to == ["nadia@practice.test"]
    assert message.subject == "Pat Admin invited you to Counseling Practice"
    assert "nrahman" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    link = invitation_link(message)
    assert escape(link) in html

    newcomer = Browser()
    form_page = newcomer.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = newcomer.post(
        set_password_url,
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert can_sign_in("nrahman", "a-long-new-passphrase")
    again = Browser().get(link, follow=True).content.decode()
    assert "expired or was already used" in again
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(member.pk), summary__startswith="Invited"
    ).exists()


def test_it_says_two_factor_comes_next_when_the_policy_requires_it(
    practice_admin, django_capture_on_commit_callbacks
):
    PracticePolicy.objects.filter(pk=1).update(mfa_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_invite(
            actor=practice_admin,
            username="newbie",
            email="newbie@practice.test",
            first_name="New",
            last_name="Bie",
            is_counselor=True,
        )
    assert "two-factor sign-in" in mail.outbox[0].body


def test_it_sends_no_invitation_when_the_invite_is_refused(
    admin_session, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = admin_session.post(
            reverse("admin_staff_invite"),
            INVITE | {"username": "Owner", "email": "OWNER@example.test"},
        ).content.decode()
        no_role = admin_session.post(
            reverse("admin_staff_invite"), INVITE | {"roles": []}
        ).content.decode()
    assert "That username is taken" in taken
    assert "already uses this email address" in taken
    assert 'value="Nadia"' in taken and 'value="LPC-S"' in taken
    assert "This field is required" in no_role.split('id="div_id_roles"')[1]
    assert mail.outbox == []
    assert not User.objects.filter(username="nrahman").exists()


def test_it_sends_a_new_invitation_until_a_password_is_chosen(
    admin_session, practice_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.staff_invite(
            actor=practice_admin,
            username="late",
            email="late@practice.test",
            first_name="Lee",
            last_name="Late",
            is_counselor=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        admin_session.post(reverse("admin_staff_invite_again", args=[member.pk]))
    assert len(mail.outbox) == 2
    member.set_password("chosen-at-last-123")
    member.save()
    with pytest.raises(ValidationError, match="already chosen a password"):
        services.staff_invite_again(actor=practice_admin, user=member)


# Roles and details -------------------------------------------------------------------------------


def staff_form(member: User, **changes) -> dict:
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "credentials": member.credentials,
        "time_zone": member.time_zone,
        **{
            flag: "on"
            for flag in (
                "is_counselor",
                "is_supervisor",
                "is_practice_admin",
                "notes_require_cosign",
            )
            if getattr(member, flag)
        },
    }
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def test_it_saves_and_audits_roles_credentials_cosigning_and_time_zone(admin_session, colleague):
    url = reverse("admin_staff_detail", args=[colleague.pk])
    response = admin_session.post(
        url,
        staff_form(
            colleague,
            is_supervisor=True,
            notes_require_cosign=True,
            credentials="LPC-Associate",
            time_zone="Europe/Dublin",
        ),
    )
    assert response["Location"] == url
    colleague.refresh_from_db()
    assert colleague.is_supervisor and colleague.notes_require_cosign
    assert (colleague.credentials, colleague.time_zone) == ("LPC-Associate", "Europe/Dublin")
    event = AuditEvent.objects.get(object_type="practice.user", object_id=str(colleague.pk))
    assert "is_supervisor" in event.summary


def test_it_keeps_the_counselor_role_while_clients_are_open(admin_session, owner, own_client):
    page = admin_session.post(
        reverse("admin_staff_detail", args=[owner.pk]),
        staff_form(owner, is_counselor=False, is_supervisor=True),
    ).content.decode()
    assert "still has 1 open client(s)" in page
    owner.refresh_from_db()
    assert owner.is_counselor and not owner.is_supervisor


def test_it_refuses_to_remove_the_admins_own_admin_role(admin_session, practice_admin):
    page = admin_session.post(
        reverse("admin_staff_detail", args=[practice_admin.pk]),
        staff_form(practice_admin, is_practice_admin=False, is_counselor=True),
    ).content.decode()
    assert "cannot remove your own practice admin role" in page
    practice_admin.refresh_from_db()
    assert practice_admin.is_practice_admin


def test_it_keeps_the_supervisor_role_while_links_go_on(practice_admin, supervisor):
    with pytest.raises(ValidationError, match="still supervises"):
        services.staff_set_roles(
            actor=practice_admin, user=supervisor, is_supervisor=False, is_counselor=True
        )


def test_it_keeps_at_least_one_role(admin_session, colleague):
    page = admin_session.post(
        reverse("admin_staff_detail", args=[colleague.pk]),
        staff_form(colleague, is_counselor=False),
    ).content.decode()
    assert "Give at least one role" in page


# Supervision links -----------------------------------------------------------------------------


def test_it_adds_a_supervision_link_with_dates_and_ends_it(admin_session, colleague, supervisor):
    starts = TODAY() - dt.timedelta(days=10)
    response = admin_session.post(
        reverse("admin_supervision_add", args=[colleague.pk]),
        {"supervisor": supervisor.pk, "starts_on": starts.isoformat(), "ends_on": ""},
    )
    assert response.status_code == 302
    link = Supervision.objects.get(supervisee=colleague)
    assert (link.supervisor, link.starts_on, link.ends_on) == (supervisor, starts, None)
    assert supervisor.supervises(colleague)

    page = admin_session.get(reverse("admin_staff_detail", args=[colleague.pk])).content.decode()
    assert reverse("admin_supervision_end", args=[link.pk]) in page

    too_early = admin_session.post(
        reverse("admin_supervision_end", args=[link.pk]),
        {"ends_on": (starts - dt.timedelta(days=1)).isoformat()},
    )
    assert "cannot end before it starts" in too_early.content.decode()
    admin_session.post(
        reverse("admin_supervision_end", args=[link.pk]),
        {"ends_on": (TODAY() - dt.timedelta(days=1)).isoformat()},
    )
    link.refresh_from_db()
    assert link.ends_on == TODAY() - dt.timedelta(days=1)
    assert not supervisor.supervises(colleague)
    assert AuditEvent.objects.filter(object_type="practice.supervision").count() == 2


def test_it_refuses_overlapping_links_between_the_same_two_people(admin_session, owner, supervisor):
    page = admin_session.post(
        reverse("admin_supervision_add", args=[owner.pk]),
        {"supervisor": supervisor.pk, "starts_on": TODAY().isoformat()},
    ).content.decode()
    assert f"{supervisor} already supervises {owner}" in page
    assert Supervision.objects.filter(supervisee=owner).count() == 1


def test_it_requires_a_supervisor_and_dates_that_make_sense(admin_session, owner, colleague):
    page = admin_session.post(
        reverse("admin_supervision_add", args=[owner.pk]),
        {"supervisor": colleague.pk, "starts_on": "2026-13-40"},
    ).content.decode()
    assert "Select a valid choice" in page
    assert "Enter a valid date" in page
    other = SupervisorFactory()
    page = admin_session.post(
        reverse("admin_supervision_add", args=[owner.pk]),
        {"supervisor": other.pk, "starts_on": "2026-03-10", "ends_on": "2026-03-01"},
    ).content.decode()
    assert "cannot end before it starts" in page


# Deactivation -----------------------------------------------------------------------------------


def test_it_signs_a_deactivated_person_out_at_once(admin_session, owner, own_client, supervisor):
    counselors_browser = Browser()
    counselors_browser.force_login(owner)
    assert counselors_browser.get(reverse("counselor_home")).status_code == 200

    confirm = admin_session.get(reverse("admin_staff_deactivate", args=[owner.pk]))
    assert "their 1 open client" in confirm.content.decode()
    response = admin_session.post(reverse("admin_staff_deactivate", args=[owner.pk]))
    assert response["Location"] == reverse("admin_staff")

    after = counselors_browser.get(reverse("counselor_home"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))
    owner.refresh_from_db()
    assert not owner.is_active
    assert not can_sign_in("owner", "password")
    link = Supervision.objects.get(supervisee=owner)
    assert link.ends_on == TODAY()
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSITION, object_id=str(owner.pk))
    assert "1 session(s) ended" in event.summary


def test_it_deletes_the_session_rows_of_a_deactivated_user(practice_admin, owner, colleague):
    for user in (owner, owner, colleague):
        Browser().force_login(user)
    assert Session.objects.count() == 3
    result = services.staff_deactivate(actor=practice_admin, user=owner)
    assert result.sessions_ended == 2
    assert Session.objects.count() == 1


def test_it_lists_their_clients_as_needing_a_new_counselor(
    admin_session, practice_admin, owner, own_client
):
    closed = ClientFactory(
        primary_counselor=owner, legal_first_name="Closed", legal_last_name="Case"
    )
    type(closed).objects.filter(pk=closed.pk).update(status="closed", closed_on=TODAY())
    services.staff_deactivate(actor=practice_admin, user=owner)
    page = admin_session.get(reverse("admin_staff")).content.decode()
    needs = page.split('id="needs-heading"')[1].split("</section>")[0]
    assert "Ada Lovelace" in needs and "Closed Case" not in needs
    assert reverse("counselor_departure", args=[owner.pk]) in needs
    assert reverse("client_transfer", args=[own_client.pk]) in needs
    directory = admin_session.get(reverse("admin_clients"), {"status": "needs_counselor"})
    assert "Ada Lovelace" in directory.content.decode()
    home = admin_session.get(reverse("admin_home")).content.decode()
    assert "1 client needs a new counselor" in home
    departure = admin_session.get(reverse("counselor_departure", args=[owner.pk]))
    assert departure.status_code == 200 and "Ada Lovelace" in departure.content.decode()


def test_it_refuses_an_admin_deactivating_themselves(admin_session, practice_admin):
    response = admin_session.post(
        reverse("admin_staff_deactivate", args=[practice_admin.pk]), follow=True
    )
    assert "cannot deactivate yourself" in response.content.decode()
    practice_admin.refresh_from_db()
    assert practice_admin.is_active


def test_it_lets_a_reactivated_person_sign_in_again(admin_session, practice_admin, colleague):
    services.staff_deactivate(actor=practice_admin, user=colleague)
    admin_session.post(reverse("admin_staff_reactivate", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.is_active
    assert can_sign_in("colleague", "password")
    assert AuditEvent.objects.filter(summary=f"Reactivated {colleague}").exists()


def test_it_removes_an_authenticator_so_they_enrol_again(admin_session, owner):
    TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    page = admin_session.get(reverse("admin_staff_detail", args=[owner.pk])).content.decode()
    assert "Remove their authenticator app" in page
    admin_session.post(reverse("admin_staff_mfa_reset", args=[owner.pk]))
    assert not TOTPDevice.objects.filter(user=owner).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.MFA)
    assert (event.actor_username, event.object_id) == ("practiceadmin", str(owner.pk))
    again = admin_session.post(reverse("admin_staff_mfa_reset", args=[owner.pk]), follow=True)
    assert "has no authenticator app to remove" in again.content.decode()


# The staff list --------------------------------------------------------------------------------


def add_supervised_staff(count: int) -> None:
    lead = SupervisorFactory()
    for _ in range(count):
        counselor = CounselorFactory()
        SupervisionFactory(supervisor=lead, supervisee=counselor)
        ClientFactory(primary_counselor=counselor)
        TOTPDevice.objects.create(user=counselor, name="phone", confirmed=True)


def staff_page_queries(browser) -> int:
    browser.get(reverse("admin_staff"))  # the first request of a session writes to it
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(reverse("admin_staff")).status_code == 200
    return len(queries)


def test_it_keeps_the_staff_list_query_count_as_staff_grow(admin_session):
    add_supervised_staff(2)
    few = staff_page_queries(admin_session)
    add_supervised_staff(20)
    assert staff_page_queries(admin_session) == few


def test_it_lists_roles_supervisors_state_and_two_factor(admin_session, owner, supervisor):
    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    CounselorFactory(username="gone", first_name="Gina", last_name="Gone", is_active=False)
    page = admin_session.get(reverse("admin_staff")).content.decode()
    owner_row = page.split("Olivia Owner")[1].split("</tr>")[0]
    assert "Counselor" in owner_row and "Sofia Super" in owner_row and "Not enrolled" in owner_row
    super_row = page.split("Sofia Super</a>")[1].split("</tr>")[0]
    assert "Enrolled" in super_row and "Olivia Owner" in super_row
    gone_row = page.split("Gina Gone")[1].split("</tr>")[0]
    assert "Deactivated" in gone_row


# Whatever is typed -----------------------------------------------------------------------------

any_text = st.text(max_size=60)


@FAST
@given(
    data=st.fixed_dictionaries(
        {
            "first_name": any_text,
            "last_name": any_text,
            "email": any_text,
            "username": any_text,
            "credentials": any_text,
            "roles": st.lists(
                st.one_of(st.sampled_from(["counselor", "supervisor", "practice_admin"]), any_text),
                max_size=3,
            ),
        }
    )
)
def test_it_answers_whatever_is_typed_into_the_invitation(admin_session, data):
    response = admin_session.post(reverse("admin_staff_invite"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        for name in ("first_name", "last_name", "email", "username", "credentials"):
            assert not data[name] or f'value="{escape(data[name])}"' in page, name
