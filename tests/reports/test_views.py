"""The report pages and their CSV exports: who may open what, the audit row of every read, the
filters' validation, and a constant number of queries however many endings there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.reports import handbuilt

pytestmark = pytest.mark.django_db

REPORTS = ("endings", "outcomes", "alliance", "after")
PAGES = [f"report_{name}" for name in REPORTS] + [f"report_{name}_csv" for name in REPORTS]


@pytest.mark.parametrize("name", PAGES)
def test_staff_without_a_clinical_or_admin_role_get_404(client, name):
    client.force_login(UserFactory(username="receptionist"))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_it_rejects_a_foreign_counselor(client, owner, colleague, name):
    client.force_login(owner)
    assert client.get(reverse(name), {"counselor": colleague.pk}).status_code == 404
    assert client.get(reverse(name), {"counselor": owner.pk}).status_code == 200


def test_a_supervisor_may_filter_on_a_supervisee_only(client, supervisor, owner, colleague):
    client.force_login(supervisor)
    url = reverse("report_endings")
    assert client.get(url, {"counselor": owner.pk}).status_code == 200
    assert client.get(url, {"counselor": colleague.pk}).status_code == 404


@pytest.mark.parametrize(
    "who,view,status",
    [
        ("owner", "practice", 404),
        ("owner", "supervision", 404),
        ("supervisor", "own", 404),
        ("practice_admin", "own", 404),
        ("practice_admin", "supervision", 404),
        ("practice_admin", "practice", 200),
        ("owner", "own", 200),
    ],
)
def test_nobody_opens_a_view_their_roles_do_not_give(
    client, owner, supervisor, practice_admin, who, view, status
):
    client.force_login(
        {"owner": owner, "supervisor": supervisor, "practice_admin": practice_admin}[who]
    )
    assert client.get(reverse("report_endings"), {"view": view}).status_code == status


def test_a_person_with_several_roles_chooses_the_view(client, owner):
    owner.is_practice_admin = True
    owner.save()
    client.force_login(owner)
    own = client.get(reverse("report_endings"))
    assert own.context["page"].filters.scope.view == "own"
    pooled = client.get(reverse("report_endings"), {"view": "practice"})
    assert pooled.context["page"].filters.scope.suppresses
    assert 'name="view"' in own.content.decode()


@pytest.mark.parametrize("name", [f"report_{name}" for name in REPORTS])
def test_every_report_view_is_audited(client, owner, name):
    client.force_login(owner)
    client.get(reverse(name), {"kind": "unplanned"})
    event = AuditEvent.objects.get(actor=owner, action=AuditEvent.Action.VIEW)
    assert event.summary.startswith("Viewed the ") and "own" in event.summary
    assert "unplanned" in event.summary


@pytest.mark.parametrize("name", [f"report_{name}_csv" for name in REPORTS])
def test_every_export_is_audited_and_never_cached(client, practice, practice_admin, name):
    client.force_login(practice_admin)
    response = client.get(reverse(name))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"].startswith("no-store")
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(actor=practice_admin, action="export").count() == 1
    text = response.content.decode()
    assert "hidden" in text
    for item in practice.values():
        assert item.client.legal_last_name not in text


def test_a_period_that_ends_before_it_starts_is_refused_without_a_report(client, owner):
    client.force_login(owner)
    response = client.get(
        reverse("report_endings"), {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "ends before it starts" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
    csv = client.get(
        reverse("report_endings_csv"),
        {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"},
    )
    assert csv.status_code == 404


def test_a_custom_period_needs_both_dates_and_at_most_ten_years(client, owner):
    client.force_login(owner)
    url = reverse("report_endings")
    assert client.get(url, {"period": "custom", "start": "2026-05-01"}).context["page"] is None
    long = client.get(url, {"period": "custom", "start": "2000-01-01", "end": "2026-01-01"})
    assert "ten years" in long.content.decode()


@pytest.mark.parametrize("who", ["owner", "supervisor", "practice_admin"])
def test_the_navigation_links_to_the_reports(client, owner, supervisor, practice_admin, who):
    client.force_login(
        {"owner": owner, "supervisor": supervisor, "practice_admin": practice_admin}[who]
    )
    assert reverse("report_endings") in client.get(reverse("home"), follow=True).content.decode()


def test_the_page_draws_each_chart_with_a_table(client, practice, owner):
    client.force_login(owner)
    html = client.get(reverse("report_endings")).content.decode()
    assert html.count('class="report-chart"') == 6  # each chart (the key swatches aside)
    assert html.count('<table class="table table-sm w-auto small caption-top report-table"') == 6
    assert "Swift, J. K., &amp; Greenberg" in html


def _more_endings(owner, count: int) -> None:
    """`count` more closed endings of the owner, each with ratings, alerts and follow-ups."""
    for index in range(count):
        item = handbuilt.ending(
            owner,
            ended=(dt.date(2026, 5, 1) + dt.timedelta(days=index)).isoformat(),
            intake="2026-01-05",
            kind="unplanned" if index % 2 else "planned",
            initiated_by="client",
            reason="goals_met",
            raised="2026-04-01",
            final="2026-05-01",
        )
        handbuilt.outcome(item, "PHQ-9", 15, 5, "2026-01-05", "2026-04-20")
        handbuilt.alliance_sessions(item, [35, 25, 33], "2026-04-28")
        handbuilt.follow_up(item, 30)
        handbuilt.summary(item, due="2026-05-20", signed="2026-05-10")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["owner", "supervisor", "practice_admin"])
def test_the_number_of_queries_does_not_grow_with_the_endings(
    client, owner, supervisor, practice_admin, name, who
):
    client.force_login(
        {"owner": owner, "supervisor": supervisor, "practice_admin": practice_admin}[who]
    )
    _more_endings(owner, 1)
    client.get(reverse(name))  # warm the session and the policy
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(name)).status_code == 200
    _more_endings(owner, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name)).status_code == 200
    assert len(many) == len(one), [query["sql"][:120] for query in many.captured_queries]
