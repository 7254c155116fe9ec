import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from practice.policy.models import PracticePolicy

pytestmark = pytest.mark.django_db


def test_it_signs_out_after_the_policys_idle_minutes(client, owner):
    PracticePolicy.objects.filter(pk=1).update(idle_logoff_minutes=15)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(owner)
        assert client.get("/caseload/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert client.get("/caseload/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=14 + 16), tick=False):
        response = client.get("/caseload/", follow=True)
    assert response.redirect_chain[0][0] == "/account/login/?next=%2Fcaseload%2F"
    assert "signed out after 15 minutes without activity" in response.content.decode()


def test_the_browser_is_told_the_idle_limit(client, owner):
    PracticePolicy.objects.filter(pk=1).update(idle_logoff_minutes=20)
    client.force_login(owner)
    assert 'data-idle-seconds="1200"' in client.get("/caseload/").content.decode()
