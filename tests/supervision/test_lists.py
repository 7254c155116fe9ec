"""The lists behind the board's counts, the co-sign and approval queues, and who may open them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.audit.models import AuditEvent
from sessions_app.models import NoteStatus
from termination.models import TerminationState
from tests.factories import CounselorFactory, SupervisionFactory, SupervisorFactory
from tests.supervision.builders import ending_client, full_caseload, note_awaiting_cosign

pytestmark = pytest.mark.django_db


def listing(client, counselor, flag: str):
    response = client.get(reverse("supervision_counselor", args=[counselor.pk]), {"flag": flag})
    assert response.status_code == 200
    return response


@pytest.fixture
def caseload(owner, supervisor, client):
    client.force_login(supervisor)
    return full_caseload(owner)


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("alliance", ["alliance"]),
        ("off_track", ["deteriorated", "stuck"]),
        ("silent", ["silent"]),
        ("review", ["review"]),
    ],
)
def test_each_client_list_shows_the_clients_behind_the_count(
    client, owner, caseload, flag, expected
):
    response = listing(client, owner, flag)
    shown = [facts.client for facts in response.context["listing"].clients]
    assert sorted(shown, key=lambda person: person.pk) == [caseload[key] for key in expected]
    page = response.content.decode()
    for key in expected:
        assert reverse("client_detail", args=[caseload[key].pk]) in page
        assert reverse("supervision_client", args=[caseload[key].pk]) in page


def test_the_unreviewed_list_offers_the_monthly_mark(client, owner, caseload):
    response = listing(client, owner, "unreviewed")
    assert len(response.context["listing"].clients) == 12
    page = response.content.decode()
    assert reverse("supervision_chart_reviewed", args=[caseload["alliance"].pk]) in page


def test_the_notes_list_links_each_overdue_session_or_draft(client, owner, caseload):
    response = listing(client, owner, "notes")
    sessions = response.context["listing"].sessions
    assert len(sessions) == 2
    assert {session.client for session in sessions} == {caseload["unsigned"]}
    page = response.content.decode()
    draft = next(session for session in sessions if hasattr(session, "note"))
    bare = next(session for session in sessions if not hasattr(session, "note"))
    assert reverse("note_detail", args=[draft.note.pk]) in page
    assert reverse("session_detail", args=[bare.pk]) in page


def test_the_endings_and_approval_lists_link_the_workspace(client, owner, caseload):
    endings = listing(client, owner, "ending").context["listing"].endings
    assert {item.termination for item in endings} == {caseload["ending"], caseload["approval"]}
    response = listing(client, owner, "approval")
    (item,) = response.context["listing"].endings
    assert item.termination == caseload["approval"]
    assert reverse("termination_workspace", args=[caseload["approval"].pk]) in (
        response.content.decode()
    )


def test_the_cosign_list_links_the_note(client, owner, caseload):
    response = listing(client, owner, "cosign")
    assert response.context["listing"].notes == [caseload["cosign"]]
    assert reverse("note_detail", args=[caseload["cosign"].pk]) in response.content.decode()


def test_opening_a_list_is_audited(client, owner, caseload, supervisor):
    listing(client, owner, "alliance")
    event = AuditEvent.objects.filter(actor=supervisor, action=AuditEvent.Action.VIEW).first()
    assert event.object_id == str(owner.pk) and "alliance alert" in event.summary


def test_an_unknown_flag_shows_the_counts_only(client, owner, caseload):
    response = listing(client, owner, "nonsense")
    assert response.context["listing"] is None
    assert "Choose a count above" in response.content.decode()


def test_a_supervisor_gets_404_for_a_counselor_they_do_not_supervise(
    client, owner, colleague, outsider_supervisor, supervisor
):
    client.force_login(supervisor)
    for name in ("supervision_counselor", "supervision_caseload", "supervision_caseload_csv"):
        assert client.get(reverse(name, args=[colleague.pk])).status_code == 404
    client.force_login(outsider_supervisor)
    for name in ("supervision_counselor", "supervision_caseload", "supervision_caseload_csv"):
        assert client.get(reverse(name, args=[owner.pk])).status_code == 404


def test_the_cosign_queue_lists_every_supervisees_note_and_nobody_elses(
    client, owner, colleague, supervisor
):
    second = CounselorFactory(username="second")
    SupervisionFactory(supervisor=supervisor, supervisee=second)
    mine = [note_awaiting_cosign(owner), note_awaiting_cosign(second)]
    note_awaiting_cosign(colleague)
    cosigned = note_awaiting_cosign(owner)
    cosigned.status = NoteStatus.SIGNED
    cosigned.save()
    client.force_login(supervisor)
    response = client.get(reverse("supervision_cosign_queue"))
    assert set(response.context["notes"]) == set(mine)
    page = response.content.decode()
    for note in mine:
        assert reverse("note_detail", args=[note.pk]) in page


def test_the_approval_queue_lists_summaries_awaiting_approval(client, owner, colleague, supervisor):
    waiting = ending_client(owner, state=TerminationState.AWAITING_APPROVAL)
    ending_client(owner)
    ending_client(colleague, state=TerminationState.AWAITING_APPROVAL)
    client.force_login(supervisor)
    response = client.get(reverse("supervision_approval_queue"))
    assert [item.termination for item in response.context["endings"]] == [waiting]
    assert reverse("termination_workspace", args=[waiting.pk]) in response.content.decode()


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queues_and_lists_take_the_same_queries_for_1_or_20_items(client):
    supervisor = SupervisorFactory(username="queues")
    counselor = CounselorFactory(username="counselor")
    SupervisionFactory(supervisor=supervisor, supervisee=counselor)
    note_awaiting_cosign(counselor)
    ending_client(counselor, state=TerminationState.AWAITING_APPROVAL)
    full_caseload(counselor)
    client.force_login(supervisor)
    urls = [
        reverse("supervision_cosign_queue"),
        reverse("supervision_approval_queue"),
        reverse("supervision_caseload", args=[counselor.pk]),
        *[
            reverse("supervision_counselor", args=[counselor.pk]) + f"?flag={flag}"
            for flag in ("alliance", "notes", "ending", "cosign", "unreviewed")
        ],
    ]
    before = {url: queries(client, url) for url in urls}
    for _ in range(19):
        note_awaiting_cosign(counselor)
        ending_client(counselor, state=TerminationState.AWAITING_APPROVAL)
    full_caseload(counselor)
    after = {url: queries(client, url) for url in urls}
    assert after == before
