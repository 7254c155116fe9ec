import pytest
from django.utils import timezone

from sessions_app.services import rating_record
from tests.factories import instrument

pytestmark = pytest.mark.django_db


def phq9(item_nine: int) -> dict:
    return {**{f"phq{i}": 1 for i in range(1, 9)}, "phq9": item_nine}


@pytest.mark.parametrize(("answer", "endorsed"), [(0, False), (1, True), (3, True)])
def test_it_flags_phq9_item_nine_above_zero(owner, own_client, answer, endorsed):
    rating = rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("PHQ-9"),
        answers=phq9(answer),
        administered_on=timezone.localdate(),
    )
    assert rating.risk_endorsed is endorsed


def test_the_counselor_is_warned_at_once_and_the_client_page_says_so(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        f"/clients/{own_client.pk}/ratings/new/?instrument={instrument('PHQ-9').pk}",
        {
            **{f"item_{key}": value for key, value in phq9(2).items()},
            "administered_on": timezone.localdate().isoformat(),
            "mode": "counselor",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Risk item endorsed" in page
    assert "Assess risk today" in page


def test_gad7_and_the_alliance_check_in_have_no_risk_item(owner, own_client):
    rating = rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("GAD-7"),
        answers={f"gad{i}": 3 for i in range(1, 8)},
        administered_on=timezone.localdate(),
    )
    assert rating.risk_endorsed is False
