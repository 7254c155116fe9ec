"""The relapse watch with time travel, at each boundary: the client's choice recorded at the
relapse-plan step; at close, follow-ups at the policy's offsets, or monthly for 6 months after an
ending with residual symptoms (exactly 5, one below, at the cutoff); each sent on its day, once;
a signal at the cutoff (and not one below), at exactly the reliable-change threshold (and not one
below), for "I would like to talk" and for item 9; the counselor alerted at once (the supervisor
when the counselor has left); from the signal, one step to a booster session or a reopening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from celery._state import _set_task_join_will_block
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import ConsentKind
from practice.policy.models import PracticePolicy
from practice.reminders.models import Notification, ReminderKind
from practice.reminders.runs import sweep_run
from sessions_app.checkins.models import CheckIn, CheckInPurpose, CheckInState
from sessions_app.models import CounselingSession, SessionKind
from sessions_app.services import rating_record
from termination.models import (
    ContactChoice,
    RelapseSignal,
    SignalAction,
    Termination,
    TerminationEvent,
    TerminationState,
    WatchCheckIn,
    WatchState,
)
from termination.relapse_watch import (
    contact_choice_record,
    follow_ups_due_for_counselors,
    relapse_signals_for_counselors,
    score_reasons,
)
from termination.services import relapse_signal_respond
from tests.checkins.helpers import LINK, post_step
from tests.factories import ClientFactory, ConsentFactory, SessionFactory, instrument
from tests.termination.conftest import Workflow

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def eager_celery(settings) -> Iterator[None]:
    from practice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    cache.clear()
    yield
    app.conf.task_always_eager = False
    _set_task_join_will_block(False)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def phq9_answers(total: int, item_nine: int = 0) -> dict:
    answers, left = {}, total - item_nine
    for number in range(1, 9):
        answers[f"phq{number}"] = min(3, left)
        left -= answers[f"phq{number}"]
    answers["phq9"] = item_nine
    return answers


def gad7_answers(total: int) -> dict:
    answers, left = {}, total
    for number in range(1, 8):
        answers[f"gad{number}"] = min(3, left)
        left -= answers[f"gad{number}"]
    return answers


def close_ending(owner, supervisor, person, *, phq=None, gad=None, contact="email"):
    """Counseling with a last PHQ-9 / GAD-7 yesterday, then a planned ending closed today."""
    ConsentFactory(client=person, kind=ConsentKind.ELECTRONIC, signed_on=T0.date() - 30 * DAY)
    SessionFactory(client=person, counselor=owner, starts_at=T0 - DAY)
    for name, total, answers in (("PHQ-9", phq, phq9_answers), ("GAD-7", gad, gad7_answers)):
        if total is not None:
            rating_record(
                actor=owner,
                client=person,
                instrument=instrument(name),
                answers=answers(total),
                administered_on=(T0 - DAY).date(),
            )
    flow = Workflow(counselor=owner, supervisor=supervisor, client=person)
    ending = flow.open(client=person)
    flow.prepared(ending)
    contact_choice_record(actor=owner, termination=ending, choice=contact)
    return flow.closed(ending)


def sweep(capture) -> None:
    with capture(execute=True):
        sweep_run(sweep="checkins")


def offsets(ending: Termination) -> list[tuple[int, bool]]:
    return list(ending.watch_checkins.values_list("offset_days", "monthly"))


STANDARD = [(30, False), (90, False), (180, False)]
MONTHLY = [(days, True) for days in (30, 60, 90, 120, 150, 180)]


@pytest.mark.parametrize(
    ("phq", "gad", "expected"),
    [
        (4, None, STANDARD),  # one below the residual range
        (5, None, MONTHLY),  # exactly its floor
        (9, None, MONTHLY),  # one below the PHQ-9 cutoff
        (10, None, STANDARD),  # at the cutoff: not "residual"
        (None, 7, MONTHLY),  # one below the GAD-7 cutoff (8)
        (None, 8, STANDARD),
        (3, 6, MONTHLY),  # either measure is enough
    ],
)
def test_the_watch_is_monthly_after_residual_symptoms(
    clock, owner, supervisor, own_client, phq, gad, expected
):
    ending = close_ending(owner, supervisor, own_client, phq=phq, gad=gad)
    assert offsets(ending) == expected
    # Counted from the close, like the counselor's own follow-ups (one source: termination/dates).
    first = ending.watch_checkins.order_by("due_on").first()
    follow_up = ending.follow_ups.order_by("due_on").first()
    assert first.due_on == ending.closed_at.date() + 30 * DAY == follow_up.due_on


@pytest.mark.parametrize("choice", [ContactChoice.NO, ContactChoice.PHONE])
def test_no_check_in_without_the_clients_yes_by_email(clock, owner, supervisor, own_client, choice):
    ending = close_ending(owner, supervisor, own_client, phq=6, contact=choice)
    assert not ending.watch_checkins.exists()


def test_the_choice_is_recorded_on_the_relapse_plan_page(client, owner, supervisor, own_client):
    flow = Workflow(counselor=owner, supervisor=supervisor, client=own_client)
    ending = flow.open()
    client.force_login(owner)
    from tests.termination.conftest import RELAPSE_PLAN

    data = {key: value for key, value in RELAPSE_PLAN.items() if isinstance(value, str)}
    data.update(
        {
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-sign": "Sleeping badly",
            "steps-0-step": "Sleep diary",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "follow_up_contact": "email",
            "version": "",
        }
    )
    response = client.post(f"/endings/{ending.pk}/relapse-plan/", data)
    assert response.status_code == 302
    assert ending.follow_up_contact.choice == ContactChoice.EMAIL
    page = client.get(f"/endings/{ending.pk}/relapse-plan/").content.decode()
    assert 'value="email" ' in page and "checked" in page.split('value="email"')[1][:80]


def test_each_follow_up_goes_on_its_day_once_with_the_measures_used(
    clock, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=3)
    first = ending.watch_checkins.first()
    clock.move_to(dt.datetime.combine(first.due_on - DAY, dt.time(23, 59), tzinfo=dt.UTC))
    sweep(django_capture_on_commit_callbacks)
    assert not CheckIn.objects.exists()
    clock.move_to(dt.datetime.combine(first.due_on, dt.time(0, 1), tzinfo=dt.UTC))
    sweep(django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    assert checkin.purpose == CheckInPurpose.FOLLOW_UP
    assert list(checkin.items.values_list("instrument__short_name", flat=True)) == ["PHQ-9"]
    assert checkin.expires_at == checkin.created_at + 14 * DAY
    first.refresh_from_db()
    assert (first.state, first.checkin) == (WatchState.SENT, checkin)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("name", "baseline", "score", "reasons"),
    [
        ("PHQ-9", 3, 9, ["deterioration"]),  # exactly the reliable-change threshold (6)
        ("PHQ-9", 3, 8, []),  # one below it
        ("PHQ-9", 5, 10, ["cutoff"]),  # at the cutoff
        ("PHQ-9", 5, 9, []),  # one below the cutoff
        ("PHQ-9", 2, 12, ["cutoff", "deterioration"]),
        ("GAD-7", 4, 8, ["cutoff", "deterioration"]),  # GAD-7: cutoff 8, threshold 4
        ("GAD-7", 4, 7, []),
        ("PHQ-9", None, 9, []),  # no score before the end: only the cutoff can speak
    ],
)
def test_signal_rules_at_each_boundary(name, baseline, score, reasons):
    found = score_reasons(
        instrument(name), Decimal(score), None if baseline is None else Decimal(baseline)
    )
    assert [entry["reason"] for entry in found] == reasons


def answer_follow_up(client, *, phq_total=None, item_nine=0, talk="no", compared="same"):
    raw = LINK.search(mail.outbox[-1].body).group(1)
    if phq_total is not None:
        answers = phq9_answers(phq_total, item_nine)
        post_step(client, raw, {f"item_{key}": value for key, value in answers.items()})
    return post_step(client, raw, {"compared_to_end": compared, "wants_to_talk": talk})


def first_follow_up(clock, capture, ending) -> None:
    clock.move_to(dt.datetime.combine(ending.watch_checkins.first().due_on, dt.time(8, 0)))
    sweep(capture)


def test_a_score_back_above_the_cutoff_alerts_the_counselor_at_once(
    clock, client, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    done = answer_follow_up(client, phq_total=12, compared="worse", talk="no")
    assert "Thank you" in done.content.decode()
    signal = RelapseSignal.objects.get()
    assert [entry["reason"] for entry in signal.reasons] == ["cutoff", "deterioration"]
    alerts = Notification.objects.filter(kind=ReminderKind.RELAPSE_SIGNAL)
    assert [alert.recipient for alert in alerts] == [owner]
    assert alerts[0].link == f"/endings/{ending.pk}/"
    assert "Lovelace" not in alerts[0].title


def test_a_calm_answer_raises_nothing_and_wanting_to_talk_does(
    clock, client, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    answer_follow_up(client, phq_total=5, compared="same", talk="no")
    assert not RelapseSignal.objects.exists()
    second = ending.watch_checkins.all()[1]
    clock.move_to(dt.datetime.combine(second.due_on, dt.time(8, 0)))
    sweep(django_capture_on_commit_callbacks)
    answer_follow_up(client, phq_total=4, compared="better", talk="yes")
    (signal,) = RelapseSignal.objects.all()
    assert signal.reasons == [{"reason": "wants_to_talk"}]


def test_item_nine_raises_a_signal_and_a_risk_alert(
    clock, client, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    answer_follow_up(client, phq_total=5, item_nine=1)
    (signal,) = RelapseSignal.objects.all()
    assert {"reason": "risk"} in signal.reasons
    assert Notification.objects.filter(kind=ReminderKind.CHECKIN_RISK, recipient=owner).exists()


def test_when_the_counselor_has_left_the_supervisor_is_alerted(
    clock, client, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    owner.is_active = False
    owner.save()
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    answer_follow_up(client, phq_total=15)
    alerts = Notification.objects.filter(kind=ReminderKind.RELAPSE_SIGNAL)
    assert [alert.recipient for alert in alerts] == [supervisor]


def test_from_a_signal_one_step_offers_a_booster_session(
    clock, client, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    answer_follow_up(client, phq_total=12)
    signal = RelapseSignal.objects.get()
    client.force_login(owner)
    workspace = client.get(f"/endings/{ending.pk}/").content.decode()
    assert 'data-testid="relapse-signal"' in workspace
    assert "PHQ-9 4 → <strong>12</strong>" in workspace
    starts = timezone.localtime() + 7 * DAY
    response = client.post(
        f"/relapse-signals/{signal.pk}/",
        {
            "action": "booster",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "50",
            "modality": "in_person",
        },
    )
    assert response.status_code == 302
    ending.refresh_from_db()
    assert ending.state == TerminationState.REOPENED
    assert ending.reopen_reason == "relapse"
    assert TerminationEvent.objects.filter(termination=ending, step="reopen").exists()
    signal.refresh_from_db()
    assert signal.action == SignalAction.BOOSTER
    assert signal.booster_session.kind == SessionKind.BOOSTER
    assert CounselingSession.objects.filter(client=own_client, kind="booster").count() == 1
    # The watch stops once the record is open again.
    later = ending.watch_checkins.filter(state=WatchState.SCHEDULED).first()
    clock.move_to(dt.datetime.combine(later.due_on, dt.time(8, 0)))
    sweep(django_capture_on_commit_callbacks)
    later.refresh_from_db()
    assert later.state == WatchState.SKIPPED
    with pytest.raises(ValidationError, match="already acted"):
        relapse_signal_respond(actor=owner, signal=signal, action="reopened")


def test_after_an_opt_out_no_follow_up_is_ever_sent(
    clock, client, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    raw = LINK.search(mail.outbox[-1].body).group(1)
    client.post(f"/c/{raw}/stop/")
    assert CheckIn.objects.get().state == CheckInState.REVOKED
    for watch in ending.watch_checkins.all()[1:]:
        clock.move_to(dt.datetime.combine(watch.due_on, dt.time(8, 0)))
        sweep(django_capture_on_commit_callbacks)
    assert CheckIn.objects.count() == 1
    assert len(mail.outbox) == 1
    assert set(ending.watch_checkins.values_list("state", flat=True)) == {
        WatchState.SENT,
        WatchState.SKIPPED,
    }


def test_a_follow_up_without_answer_is_no_response_after_one_reminder(
    clock, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, own_client, phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, ending)
    checkin = CheckIn.objects.get()
    for days in range(1, 16):
        clock.move_to(checkin.created_at + days * DAY)
        sweep(django_capture_on_commit_callbacks)
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.EXPIRED
    assert len(mail.outbox) == 2  # the check-in and its one reminder


def test_the_board_selectors_cost_one_query_for_1_or_50_counselors(
    clock, owner, supervisor, colleague
):
    counselors = [owner.pk, colleague.pk]
    with CaptureQueriesContext(connection) as captured:
        follow_ups_due_for_counselors(counselors)
        relapse_signals_for_counselors(counselors)
    assert len(captured) == 2


def test_the_workspace_costs_the_same_for_1_and_50_follow_ups(
    clock, client, owner, supervisor, django_capture_on_commit_callbacks
):
    def workspace_queries(ending) -> int:
        url = f"/endings/{ending.pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small_client = ClientFactory(primary_counselor=owner)
    PracticePolicy.objects.filter(pk=1).update(follow_up_offsets_days=[30])
    small = close_ending(owner, supervisor, small_client, phq=4)
    PracticePolicy.objects.filter(pk=1).update(follow_up_offsets_days=list(range(10, 510, 10)))
    large = close_ending(owner, supervisor, ClientFactory(primary_counselor=owner), phq=4)
    assert (small.watch_checkins.count(), large.watch_checkins.count()) == (1, 50)
    last_day = max(WatchCheckIn.objects.values_list("due_on", flat=True))
    clock.move_to(dt.datetime.combine(last_day, dt.time(8, 0), tzinfo=dt.UTC))
    sweep(django_capture_on_commit_callbacks)
    assert CheckIn.objects.count() == 51
    client.force_login(owner)
    counts = (workspace_queries(small), workspace_queries(large))
    print("ending workspace queries at 1 and 50 follow-up check-ins:", counts)
    assert counts[0] == counts[1]


def test_the_board_counts_follow_ups_due_and_signals_and_opens_their_lists(
    clock, client, owner, supervisor, django_capture_on_commit_callbacks
):
    ending = close_ending(owner, supervisor, ClientFactory(primary_counselor=owner), phq=4)
    first = ending.watch_checkins.order_by("due_on").first()
    clock.move_to(dt.datetime.combine(first.due_on, dt.time(8, 0), tzinfo=dt.UTC))
    client.force_login(supervisor)
    board = client.get("/supervision/")
    (row,) = [row for row in board.context["rows"] if row.counselor == owner]
    assert (row.count_of("follow_ups"), row.count_of("relapse")) == (1, 0)
    listing = client.get(f"/supervision/counselors/{owner.pk}/?flag=follow_ups")
    assert [watch.pk for watch in listing.context["listing"].follow_ups] == [first.pk]
    assert ending.client.display_name in listing.content.decode()

    sweep(django_capture_on_commit_callbacks)  # sent; then answered back above the cutoff
    client.logout()
    answer_follow_up(client, phq_total=20, compared="worse")
    client.force_login(supervisor)
    board = client.get("/supervision/")
    (row,) = [row for row in board.context["rows"] if row.counselor == owner]
    assert (row.count_of("follow_ups"), row.count_of("relapse")) == (0, 1)
    listing = client.get(f"/supervision/counselors/{owner.pk}/?flag=relapse")
    assert [signal.termination_id for signal in listing.context["listing"].signals] == [ending.pk]


def test_the_after_the_end_report_counts_wellness_and_signals_from_the_watch(
    clock, client, owner, supervisor, django_capture_on_commit_callbacks
):
    from practice.reports.pages.after import after_page
    from practice.reports.selectors.after import (
        RelapseSignals,
        WellnessAtOffset,
        relapse_signals,
        wellness_at_offsets,
    )
    from tests.reports.conftest import filters_for

    calm = close_ending(owner, supervisor, ClientFactory(primary_counselor=owner), phq=4)
    close_ending(owner, supervisor, ClientFactory(primary_counselor=owner), phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, calm)  # both are sent
    # The last two emails are the two follow-ups: one answered calmly, one back above the cutoff.
    answer_follow_up(client, phq_total=3, compared="better")
    mail.outbox.pop()
    answer_follow_up(client, phq_total=15, compared="worse")
    filters, today = filters_for(owner), timezone.localdate()
    assert wellness_at_offsets(filters, today) == [
        WellnessAtOffset(offset_days=30, answered=2, below_cutoff=1)
    ]
    assert relapse_signals(filters, today) == {
        "planned": RelapseSignals(watched=2, signalled=1, signalled_within_180_days=1)
    }
    page = after_page(filters)  # the counselor's own page shows both tables
    shown = {one.key: one for one in page.sections}
    assert shown["wellness"].table is not None and shown["relapse"].table is not None
    assert shown["wellness"].heading == "Still well at the follow-ups (30, 90, 180 days)"
    # A check-in between the policy's offsets (a monthly watch's) is not in the rows.
    calm.watch_checkins.filter(checkin__state="completed").update(offset_days=45)
    (row,) = wellness_at_offsets(filters, today)
    assert (row.offset_days, row.answered) == (30, 1)


def test_a_follow_up_answered_on_the_phone_is_a_response_in_the_report(
    clock, client, owner, supervisor, django_capture_on_commit_callbacks
):
    """The counselor has recorded neither 30-day follow-up; one former client answered the
    check-in. Report 4 counts that one as a response, the other as a non-response."""
    from practice.reports.selectors.after import after_figures
    from tests.reports.conftest import filters_for

    answered = close_ending(owner, supervisor, ClientFactory(primary_counselor=owner), phq=4)
    close_ending(owner, supervisor, ClientFactory(primary_counselor=owner), phq=4)
    first_follow_up(clock, django_capture_on_commit_callbacks, answered)  # both are sent
    answer_follow_up(client, phq_total=3, compared="better")
    clock.move_to(timezone.now() + 5 * DAY)  # both follow-ups are due by now
    at_30 = after_figures(filters_for(owner)).follow_ups_at(30)
    assert answered.follow_ups.get(offset_days=30).outcome == "pending"
    assert (at_30.answered, at_30.pending, at_30.due) == (1, 1, 2)
    assert at_30.no_response == 1
