import pytest
from django.test import Client


@pytest.fixture
def admin_session(practice_admin) -> Client:
    """A browser signed in as the practice admin (named so as not to shadow pytest-django's
    `admin_client`, which signs in a superuser)."""
    browser = Client()
    browser.force_login(practice_admin)
    return browser
