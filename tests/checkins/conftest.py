"""Check-in fixtures: a client who may be emailed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clients.models import ConsentKind
from tests.factories import ClientFactory, ConsentFactory


@pytest.fixture
def emailable_client(owner):
    person = ClientFactory(
        primary_counselor=owner,
        legal_first_name="Ada",
        legal_last_name="Lovelace",
        preferred_name="",
        email="ada@example.org",
        may_email=True,
    )
    ConsentFactory(
        client=person,
        kind=ConsentKind.ELECTRONIC,
        signed_on=timezone.localdate() - dt.timedelta(days=10),
    )
    return person
