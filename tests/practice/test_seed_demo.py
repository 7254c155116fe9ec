import pytest
from django.core.management import call_command

from practice.models import PracticePolicy, Supervision, User

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_practice_once_however_often_it_runs(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(is_practice_admin=True).count() == 1
    assert User.objects.filter(is_supervisor=True).count() == 2
    assert User.objects.filter(is_counselor=True, is_supervisor=False).count() == 6
    assert Supervision.objects.count() == 7
    assert all(
        counselor.supervisions_received.exists()
        for counselor in User.objects.filter(is_counselor=True, is_supervisor=False)
    )
    assert not PracticePolicy.current().mfa_required
    assert "demo-practice-2026" in capsys.readouterr().out


def test_if_empty_leaves_an_existing_practice_alone(owner, capsys):
    call_command("seed_demo", "--if-empty")
    assert not User.objects.filter(username="admin").exists()
    assert "not loaded" in capsys.readouterr().out
