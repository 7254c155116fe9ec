"""Shipped instruments are never edited; the admin makes a switched-off copy instead."""

import pytest
from django.urls import reverse

from practice.audit.models import AuditEvent
from sessions_app.models import Instrument
from tests.factories import instrument

pytestmark = pytest.mark.django_db


def test_it_copies_a_shipped_instrument_as_the_practices_own_switched_off(
    admin_session, practice_admin
):
    shipped = instrument("PHQ-9")
    response = admin_session.post(reverse("admin_instrument_copy", args=[shipped.pk]), follow=True)
    copy = Instrument.objects.get(name=f"{shipped.name} (copy)")
    assert (copy.is_shipped, copy.is_enabled, copy.created_by) == (False, False, practice_admin)
    assert copy.items == shipped.items and copy.risk_items == shipped.risk_items
    assert (copy.scale_min, copy.scale_max, copy.kind) == (
        shipped.scale_min,
        shipped.scale_max,
        shipped.kind,
    )
    assert "switched off" in response.content.decode()
    shipped.refresh_from_db()
    assert shipped.is_shipped and shipped.is_enabled
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(copy.pk))
    assert event.summary == "Copied instrument PHQ-9 (switched off)"
    assert copy not in Instrument.objects.enabled()


def test_it_links_to_adding_and_switching_instruments(admin_session):
    page = admin_session.get(reverse("admin_instruments")).content.decode()
    assert reverse("instrument_create") in page
    assert reverse("instrument_list") in page
    assert reverse("admin_instrument_copy", args=[instrument("GAD-7").pk]) in page
    home = admin_session.get(reverse("admin_home")).content.decode()
    assert reverse("admin_instruments") in home
