"""Recording ratings: the service's alerts and rules, and the form in both modes."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.models import ClientStatus
from sessions_app.models import AllianceAlert, Rating, RatingMode
from sessions_app.services import rating_record
from tests.factories import ClientFactory, SessionFactory, instrument
from tests.html_forms import without_language_switch
from tests.rollback import rolled_back

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def alliance_answers(total: int) -> dict[str, int]:
    """Four 0–10 answers adding up to `total`."""
    values = [min(10, max(0, total - 10 * n)) for n in range(4)]
    return dict(zip(["goals", "tasks", "bond", "overall"], values, strict=True))


def record(owner, client, short_name, answers, days_ago=0, session=None):
    return rating_record(
        actor=owner,
        client=client,
        instrument=instrument(short_name),
        answers=answers,
        administered_on=TODAY() - dt.timedelta(days=days_ago),
        session=session,
    )


def phq9_answers(total: int) -> dict[str, int]:
    values = [min(3, max(0, total - 3 * n)) for n in range(9)]
    return {f"phq{n + 1}": value for n, value in enumerate(values)}


# The service ----------------------------------------------------------------------------------


def test_it_raises_no_alert_for_a_good_alliance(owner, own_client, policy):
    rating = record(owner, own_client, "Alliance", alliance_answers(36))
    assert rating.total == Decimal(36)
    assert not AllianceAlert.objects.exists()


def test_it_marks_an_alert_repeated_when_the_previous_rating_alerted_too(owner, own_client, policy):
    first = record(owner, own_client, "Alliance", alliance_answers(28), days_ago=14)
    second = record(owner, own_client, "Alliance", alliance_answers(27), days_ago=7)
    third = record(owner, own_client, "Alliance", alliance_answers(36), days_ago=3)
    fourth = record(owner, own_client, "Alliance", alliance_answers(29))
    assert first.alliance_alert.repeated is False
    assert first.alliance_alert.reason == "below_cutoff"
    assert second.alliance_alert.repeated is True
    assert not AllianceAlert.objects.filter(rating=third).exists()
    # The rating just before this one did not alert, so this is not repeated.
    assert fourth.alliance_alert.repeated is False
    assert fourth.alliance_alert.reason == "both"
    assert fourth.alliance_alert.previous_total == Decimal(36)


def test_it_raises_a_drop_alert_from_the_previous_session(owner, own_client, policy):
    record(owner, own_client, "Alliance", alliance_answers(38), days_ago=7)
    dropped = record(owner, own_client, "Alliance", alliance_answers(33))
    assert dropped.alliance_alert.reason == "drop"
    assert dropped.alliance_alert.cutoff == Decimal(policy.alliance_cutoff)


def test_phq9_never_raises_an_alliance_alert(owner, own_client, policy):
    record(owner, own_client, "PHQ-9", phq9_answers(2), days_ago=7)
    record(owner, own_client, "PHQ-9", phq9_answers(27))
    assert not AllianceAlert.objects.exists()


def test_it_keeps_one_rating_per_instrument_per_session(owner, own_client, policy):
    session = SessionFactory(client=own_client)
    record(owner, own_client, "PHQ-9", phq9_answers(12), session=session)
    with pytest.raises(ValidationError) as caught:
        record(owner, own_client, "PHQ-9", phq9_answers(10), session=session)
    assert caught.value.message_dict == {
        "session": ["This measure is already recorded for that session."]
    }
    # Another instrument for the same session is fine.
    record(owner, own_client, "GAD-7", {f"gad{n}": 1 for n in range(1, 8)}, session=session)
    assert Rating.objects.filter(session=session).count() == 2


# The form --------------------------------------------------------------------------------------


def rating_url(client, short_name=None, **query):
    url = reverse("rating_create", kwargs={"pk": client.pk})
    if short_name:
        query["instrument"] = instrument(short_name).pk
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def phq9_post(total=12, **extra):
    data = {f"item_{key}": value for key, value in phq9_answers(total).items()}
    data.update({"administered_on": TODAY().isoformat(), "session": "", "mode": "counselor"})
    data.update(extra)
    return data


def test_it_asks_which_measure_when_none_is_chosen(client, owner, own_client):
    client.force_login(owner)
    response = client.get(rating_url(own_client))
    assert response.status_code == 200
    assert f"instrument={instrument('PHQ-9').pk}" in response.content.decode()


def test_it_shows_phq9_with_frequency_labels_on_a_0_to_3_scale(client, owner, own_client):
    client.force_login(owner)
    page = client.get(rating_url(own_client, "PHQ-9")).content.decode()
    assert page.count('type="radio"') == 9 * 4
    assert "More than half the days" in page
    assert "Little interest or pleasure in doing things" in page
    assert 'value="counselor"' in page


def test_it_shows_the_alliance_check_in_on_a_0_to_10_scale(client, owner, own_client):
    client.force_login(owner)
    page = client.get(rating_url(own_client, "Alliance")).content.decode()
    assert page.count('type="radio"') == 4 * 11
    assert 'name="item_goals" id="id_item_goals_10" value="10"' in page


def test_it_records_a_rating_and_returns_to_the_client(client, owner, own_client):
    session = SessionFactory(client=own_client)
    client.force_login(owner)
    response = client.post(rating_url(own_client, "PHQ-9"), phq9_post(12, session=session.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", kwargs={"pk": own_client.pk})
    rating = Rating.objects.get()
    assert (rating.total, rating.session, rating.mode) == (Decimal(12), session, "counselor")
    assert rating.entered_by == owner


def test_it_preselects_the_session_from_the_link(client, owner, own_client):
    session = SessionFactory(client=own_client)
    client.force_login(owner)
    page = client.get(rating_url(own_client, "PHQ-9", session=session.pk)).content.decode()
    assert f'<option value="{session.pk}" selected>' in page


def test_it_puts_errors_beside_each_item_and_keeps_the_answers(client, owner, own_client):
    client.force_login(owner)
    data = phq9_post(12)
    del data["item_phq2"]
    data["item_phq3"] = "7"  # tampered: outside 0–3
    response = client.post(rating_url(own_client, "PHQ-9"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="id_item_phq2-error">Answer this question\.', page)
    assert re.search(r'id="id_item_phq3-error">Use a whole number from 0 to 3\.', page)
    assert re.search(r'name="item_phq1" id="id_item_phq1_3" value="3" checked', page)
    assert not Rating.objects.exists()


def test_it_shows_a_duplicate_session_beside_the_session(client, owner, own_client):
    session = SessionFactory(client=own_client)
    record(owner, own_client, "PHQ-9", phq9_answers(5), session=session)
    client.force_login(owner)
    response = client.post(rating_url(own_client, "PHQ-9"), phq9_post(9, session=session.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["session"] == [
        "This measure is already recorded for that session."
    ]


def test_it_offers_only_the_clients_own_sessions(client, owner, own_client):
    other = SessionFactory(client=ClientFactory(primary_counselor=owner))
    client.force_login(owner)
    response = client.post(rating_url(own_client, "PHQ-9"), phq9_post(9, session=other.pk))
    assert response.status_code == 200
    assert "session" in response.context["form"].errors


def test_it_refuses_a_future_date_beside_the_date(client, owner, own_client):
    client.force_login(owner)
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = client.post(rating_url(own_client, "PHQ-9"), phq9_post(9, administered_on=tomorrow))
    assert response.context["form"].errors["administered_on"] == [
        "A rating cannot be dated in the future."
    ]


def test_it_warns_after_saving_an_alliance_rating_that_alerts(client, owner, own_client, policy):
    client.force_login(owner)
    data = {f"item_{key}": value for key, value in alliance_answers(22).items()}
    data.update({"administered_on": TODAY().isoformat(), "mode": "counselor"})
    response = client.post(rating_url(own_client, "Alliance"), data, follow=True)
    page = response.content.decode()
    assert "Alliance alert: below the cutoff (total 22, cutoff 30)" in page
    assert 'class="alert alert-warning' in page


def test_the_client_mode_shows_only_the_questions(client, owner, own_client):
    own_client.presenting_concerns = "Panic attacks on the bus"
    own_client.save()
    SessionFactory(client=own_client)
    client.force_login(owner)
    page = client.get(rating_url(own_client, "PHQ-9", mode="client")).content.decode()
    assert "Little interest or pleasure in doing things" in page
    assert "Over the last two weeks, how often have you been bothered" in page
    for private in (
        own_client.legal_last_name,
        "Panic attacks",
        "My caseload",
        "clinical depression",
        'type="date"',
        "<select",
    ):
        assert private not in page
    assert 'type="hidden" name="mode" value="client"' in page


def test_the_client_mode_saves_as_filled_in_by_the_client(client, owner, own_client):
    client.force_login(owner)
    url = rating_url(own_client, "PHQ-9", mode="client")
    response = client.post(url, phq9_post(4, mode="client"))
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", kwargs={"pk": own_client.pk})
    assert Rating.objects.get().mode == RatingMode.CLIENT


def test_the_client_mode_keeps_answers_and_shows_errors_in_large_type(client, owner, own_client):
    client.force_login(owner)
    data = phq9_post(6, mode="client")
    data["item_phq9"] = ""
    response = client.post(rating_url(own_client, "PHQ-9", mode="client"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "A few questions" in page
    assert re.search(r'id="id_item_phq9-error">Answer this question\.', page)
    assert re.search(r'name="item_phq1" id="id_item_phq1_3" value="3" checked', page)


def test_it_shows_that_a_closed_record_is_locked(client, owner, own_client):
    own_client.status = ClientStatus.CLOSED
    own_client.closed_on = TODAY()
    own_client.save()
    client.force_login(owner)
    response = client.post(rating_url(own_client, "PHQ-9"), phq9_post(9))
    assert response.status_code == 200
    assert "closed and locked" in " ".join(response.context["form"].non_field_errors())
    assert not Rating.objects.exists()


def test_it_hides_a_switched_off_instrument(client, owner, own_client, practice_admin):
    gad7 = instrument("GAD-7")
    gad7.is_enabled = False
    gad7.save()
    client.force_login(owner)
    response = client.get(rating_url(own_client, "GAD-7"))
    assert response.templates[0].name == "sessions_app/rating_choose.html"
    # The language switch carries the page's own address back; no link offers the instrument.
    page = without_language_switch(response.content.decode())
    assert f"instrument={gad7.pk}" not in page


def test_it_rejects_a_colleagues_client_and_a_supervisor(
    client, owner, colleague, supervisor, own_client
):
    for visitor in (colleague, supervisor):
        client.force_login(visitor)
        assert client.get(rating_url(own_client, "PHQ-9")).status_code == 404
        assert client.post(rating_url(own_client, "PHQ-9"), phq9_post(3)).status_code == 404
    assert not Rating.objects.exists()


FIELDS = ["administered_on", "session", "mode", *(f"item_phq{n}" for n in range(1, 10))]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(field=st.sampled_from(FIELDS), text=st.text(max_size=40))
def test_any_text_in_any_field_never_fails(client, owner, own_client, field, text):
    client.force_login(owner)
    data = phq9_post(9)
    data[field] = text
    with rolled_back():
        response = client.post(rating_url(own_client, "PHQ-9"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].data[field] == text
        if field == "administered_on" and text and text.isprintable() and text.strip() == text:
            assert f'value="{escape(text)}"' in response.content.decode()
