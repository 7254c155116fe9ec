import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from sessions_app.models import SessionStatus
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_pages_show_times_in_the_users_own_time_zone(client, owner, own_client):
    owner.time_zone = "America/Chicago"
    owner.save()
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    starts = dt.datetime.combine(tomorrow, dt.time(16, 0), tzinfo=chicago)
    SessionFactory(client=own_client, starts_at=starts, status=SessionStatus.SCHEDULED)
    client.force_login(owner)
    page = client.get("/caseload/").content.decode()
    assert "16:00" in page
    assert f"{starts.astimezone(dt.UTC):%H:%M}" not in page
