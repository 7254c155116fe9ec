"""Standing users for every test: the owner counselor, a colleague, their supervisor, an admin,
and an outsider supervisor who supervises someone else."""

import os

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import translation

from practice.policy.models import PracticePolicy
from sessions_app.shipped_instruments import ship
from tests.dbflush import allow_test_flush
from tests.factories import (
    ClientFactory,
    CounselorFactory,
    PracticeAdminFactory,
    SupervisionFactory,
    SupervisorFactory,
)

allow_test_flush()


def require_service(name: str, url: str | None) -> None:
    """Skip a test that needs a service that is not configured, unless CI requires them all."""
    if url:
        return
    if settings.REQUIRE_SERVICES or os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required (REQUIRE_SERVICES=1) but not configured.")
    pytest.skip(f"{name} is not configured; set its URL to run this test.")


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in French leaves French active in its thread, as Django does between requests
    (LocaleMiddleware sets it again on each one); each test starts in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _shipped_data(request):
    """Rows the migrations ship (the instruments, the policy) are gone after a transactional
    test flushes the database; put them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ship(django_apps)
    PracticePolicy.current()


@pytest.fixture
def policy(db) -> PracticePolicy:
    return PracticePolicy.current()


@pytest.fixture
def owner(db):
    return CounselorFactory(username="owner", first_name="Olivia", last_name="Owner")


@pytest.fixture
def colleague(db):
    return CounselorFactory(username="colleague", first_name="Colin", last_name="Colleague")


@pytest.fixture
def supervisor(owner):
    supervisor = SupervisorFactory(username="supervisor", first_name="Sofia", last_name="Super")
    SupervisionFactory(supervisor=supervisor, supervisee=owner)
    return supervisor


@pytest.fixture
def outsider_supervisor(colleague):
    other = SupervisorFactory(username="othersupervisor")
    SupervisionFactory(supervisor=other, supervisee=colleague)
    return other


@pytest.fixture
def practice_admin(db):
    return PracticeAdminFactory(username="practiceadmin", first_name="Pat", last_name="Admin")


@pytest.fixture
def visitors(owner, colleague, supervisor, practice_admin) -> dict:
    """One of each kind of staff the page walks open pages as, by the walk's names."""
    return {
        "owner": owner,
        "colleague": colleague,
        "supervisor": supervisor,
        "practice_admin": practice_admin,
    }


@pytest.fixture
def own_client(owner):
    """A client of the owner counselor (named so as not to shadow pytest-django's `client`)."""
    return ClientFactory(
        primary_counselor=owner, legal_first_name="Ada", legal_last_name="Lovelace"
    )


@pytest.fixture
def colleagues_client(colleague):
    return ClientFactory(
        primary_counselor=colleague, legal_first_name="Carl", legal_last_name="Gauss"
    )
