"""bench_pages at a tiny scale: it loads a practice, serves it with gunicorn under the production
settings, times every page against the floor and leaves nothing running or signed in."""

import io
import os
import subprocess

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection

from clients.models import Client
from practice.bench import loader
from practice.bench.pages import report_pages
from tests.conftest import require_service


@pytest.mark.django_db(transaction=True)
def test_it_times_every_page_against_the_floor_and_cleans_up():
    require_service("PostgreSQL", connection.vendor == "postgresql" or None)
    out = io.StringIO()
    call_command(
        "bench_pages", scale=[30], requests=2, rounds=1, throughput=2, workers=1, stdout=out
    )
    report = out.getvalue()
    users = loader.bench_users()
    assert Client.objects.count() == 30 and users.ending is not None
    daily = ("floor", "caseload, 100", "caseload, 20", "review board", "audit, deep page")
    reports = [page.name for page in report_pages()]
    assert len(reports) == 12  # four reports, each as the counselor, the supervisor, the admin
    for page in (*daily, *reports):
        row = next(line for line in report.splitlines() if line.startswith(page))
        p50, p95, ratio = (float(value) for value in row[28:].split()[:3])
        assert 0 < p50 <= p95 and ratio > 0, row
    assert not Session.objects.exists()  # the run's sign-ins end with it

    again = io.StringIO()  # a second run reuses the practice
    call_command(
        "bench_pages", scale=[30], requests=1, rounds=1, throughput=1, only=["board"], stdout=again
    )
    assert "Reusing the practice" in again.getvalue()
    timed = [line[:28].strip() for line in again.getvalue().splitlines()]
    assert "review board" in timed and "floor: password page" in timed
    assert not any(name.startswith(("caseload", "report")) for name in timed)
    assert Client.objects.count() == 30
    assert not _servers_started_here()


def _servers_started_here() -> list[str]:
    """gunicorn processes that are children of this test process."""
    table = subprocess.run(["ps", "-eo", "ppid=,args="], capture_output=True, text=True).stdout
    return [
        line
        for line in table.splitlines()
        if line.split(maxsplit=1)[0] == str(os.getpid()) and "gunicorn" in line
    ]
