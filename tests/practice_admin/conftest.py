import pytest
from django.test import Client


@pytest.fixture
def admin_session(practice_admin) -> Client:
    """A browser signed in as the practice admin (named so as not to shadow pytest-django's
    `admin_client`, which signs in a superuser)."""
    browser = Client()
    browser.force_login(practice_admin)
    return browser


@pytest.fixture(autouse=True)
def eager_celery():
    """Invitations go out through the outbox's task: run it in the test, after the commit."""
    from practice.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
