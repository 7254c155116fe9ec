"""The dates each letter prints (read back from the PDF with pypdf) are the scheduled ones, and
a letter whose dates moved after it was produced is marked out of date in the workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.formats import date_format

from termination import dates, services
from termination.documents import document_request
from termination.documents.selectors import document_panel
from termination.models import DocumentKind, DocumentState, EndingKind, Reason
from tests.documents.conftest import pdf_text, stored_pdf, with_history
from tests.termination.conftest import today

pytestmark = pytest.mark.django_db


def long_day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def produce(actor, termination, kind, capture, options=None):
    with capture(execute=True):
        document = document_request(
            actor=actor, termination=termination, kind=kind, options=options
        )
    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.error
    return document


def test_the_after_care_letter_prints_the_scheduled_follow_ups(
    flow, signed_ending, owner, django_capture_on_commit_callbacks
):
    services.termination_close(actor=owner, termination=signed_ending)
    closed = flow.refresh(signed_ending)
    scheduled = [item.due_on for item in closed.follow_ups.all()]
    assert scheduled == [today() + dt.timedelta(days=d) for d in (30, 90, 180)]

    text = pdf_text(
        stored_pdf(
            produce(
                owner, closed, DocumentKind.AFTERCARE_LETTER, django_capture_on_commit_callbacks
            )
        )
    )
    for due in scheduled:
        assert long_day(due) in text


def test_before_the_close_the_letter_and_the_workspace_show_the_same_follow_ups(
    flow, own_client, owner, client, django_capture_on_commit_callbacks
):
    with_history(own_client)
    termination = flow.open()
    flow.notice(termination, raised_on=today(), final_session_on=today() + dt.timedelta(days=20))
    flow.relapse_plan(termination)
    letter = produce(
        owner, termination, DocumentKind.AFTERCARE_LETTER, django_capture_on_commit_callbacks
    )
    expected = dates.follow_up_dates(flow.refresh(termination), flow.policy, today=today())
    assert expected[0] == today() + dt.timedelta(days=50)
    text = pdf_text(stored_pdf(letter))
    for due in expected:
        assert long_day(due) in text

    client.force_login(owner)
    page = client.get(f"/endings/{termination.pk}/").content.decode()
    for due in expected:
        assert date_format(due, "j M Y") in page


def test_the_closing_letter_prints_the_close_date_the_close_is_held_to(
    flow, own_client, owner, django_capture_on_commit_callbacks
):
    with_history(own_client)
    termination = flow.open(kind=EndingKind.UNPLANNED)
    providers = [
        flow.provider(f"Provider {n}", phone=f"(217) 555-01{n}{n}").pk
        for n in range(flow.policy.closing_letter_referrals)
    ]
    close_on = today() + dt.timedelta(days=14)
    letter = produce(
        owner,
        termination,
        DocumentKind.CLOSING_LETTER,
        django_capture_on_commit_callbacks,
        {"close_on": close_on.isoformat(), "provider_ids": providers},
    )
    assert f"we will close your file on {long_day(close_on)}" in pdf_text(stored_pdf(letter))
    assert dates.promised_close_on(termination) == close_on
    assert "14 days" not in dates.early_close_problem(termination, on=today())
    assert long_day(close_on) in dates.early_close_problem(termination, on=today())
    assert dates.early_close_problem(termination, on=close_on) == ""


def test_the_closing_summary_prints_the_final_session_and_last_contact(
    flow, signed_ending, owner, django_capture_on_commit_callbacks
):
    services.termination_close(actor=owner, termination=signed_ending)
    closed = flow.refresh(signed_ending)
    text = pdf_text(
        stored_pdf(
            produce(owner, closed, DocumentKind.CLOSING_SUMMARY, django_capture_on_commit_callbacks)
        )
    )
    assert f"final session {long_day(closed.final_session_on)}" in text
    assert f"last contact {long_day(closed.ended_on)}" in text


def test_a_letter_whose_dates_moved_is_out_of_date_and_a_new_version_is_not(
    flow, own_client, owner, client, django_capture_on_commit_callbacks
):
    with_history(own_client)
    termination = flow.open()
    flow.notice(termination, raised_on=today(), final_session_on=today() + dt.timedelta(days=20))
    flow.reasons(termination, Reason.GOALS_MET)
    flow.relapse_plan(termination)
    first = produce(
        owner, termination, DocumentKind.AFTERCARE_LETTER, django_capture_on_commit_callbacks
    )
    assert first.stated_dates["follow_ups"][0] == (today() + dt.timedelta(days=50)).isoformat()
    flow.summary(termination)
    flow.sign(termination)
    flow.approve(termination)
    services.termination_close(
        actor=owner, termination=flow.refresh(termination), early_reason="Moved away."
    )
    closed = flow.refresh(termination)

    panel = document_panel(client=own_client, viewer=owner, termination=closed)
    letter = next(d for d in panel["latest"] if d.kind == DocumentKind.AFTERCARE_LETTER)
    assert letter.changed_dates == ["follow-up dates"]
    client.force_login(owner)
    page = client.get(f"/endings/{closed.pk}/").content.decode()
    assert 'data-testid="document-out-of-date"' in page
    assert "Produce a new version" in page

    second = produce(
        owner, closed, DocumentKind.AFTERCARE_LETTER, django_capture_on_commit_callbacks
    )
    assert second.version == 2
    for due in closed.follow_ups.values_list("due_on", flat=True):
        assert long_day(due) in pdf_text(stored_pdf(second))
    panel = document_panel(client=own_client, viewer=owner, termination=closed)
    latest = next(d for d in panel["latest"] if d.kind == DocumentKind.AFTERCARE_LETTER)
    assert latest.version == 2 and latest.changed_dates == []
