"""The policy page: every value grouped with its unit and default, errors beside the fields,
and the history of changes."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.administration.forms import POLICY_GROUPS, PolicyForm
from practice.administration.services import POLICY_FIELDS
from practice.policy.models import PolicyChange, PracticePolicy

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
URL = reverse("admin_policy")


def current_values() -> dict[str, str]:
    """The form as the page shows it, ready to post back."""
    form = PolicyForm(instance=PracticePolicy.current())
    data = {}
    for name in POLICY_FIELDS:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = ", ".join(str(day) for day in value)
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_it_shows_every_value_grouped_by_topic_with_unit_and_default(admin_session, policy):
    page = admin_session.get(URL).content.decode()
    for _, title, values in POLICY_GROUPS:
        assert f"<legend>{title}</legend>" in page
        for name, value in values.items():
            assert f'name="{name}"' in page
            assert escape(str(value.label)) in page
    assert "A planned final session must be at least this long" in page
    assert "Default: 14 days." in page
    assert "Default: 30, 90, 180." in page
    assert 'value="30, 90, 180"' in page
    assert 'name="logo"' not in page


def test_it_shows_a_saved_change_in_the_history(admin_session, practice_admin, policy):
    data = current_values() | {"minimum_notice_days": "3", "follow_up_offsets_days": "14, 45"}
    response = admin_session.post(URL, data, follow=True)
    page = response.content.decode()
    assert "Policy saved. Changed: minimum notice before a planned ending, follow-up" in page
    policy = PracticePolicy.current()
    assert (policy.minimum_notice_days, policy.follow_up_offsets_days) == (3, [14, 45])
    history = page.split('id="history-heading"')[1]
    assert "Pat Admin" in history
    assert "Minimum notice before a planned ending" in history
    assert "30, 90, 180" in history and "14, 45" in history
    assert PolicyChange.objects.count() == 2


def test_it_shows_errors_beside_their_fields_and_keeps_the_typed_values(admin_session, policy):
    data = current_values() | {
        "minimum_notice_days": "121",
        "follow_up_offsets_days": "90, 30",
        "practice_name": "Harbour Counseling",
    }
    response = admin_session.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page
    notice = page.split('id="div_id_minimum_notice_days"')[1].split('id="div_id_')[0]
    assert "Choose a whole number from 0 to 120 days." in notice
    assert 'value="121"' in notice
    offsets = page.split('id="div_id_follow_up_offsets_days"')[1].split('id="div_id_')[0]
    assert "ascending order" in offsets
    assert 'value="90, 30"' in offsets
    assert 'value="Harbour Counseling"' in page
    assert PracticePolicy.current().minimum_notice_days == 14
    assert not PolicyChange.objects.exists()


def test_it_refuses_retention_below_the_legal_minimum_beside_retention(admin_session, policy):
    data = current_values() | {"retention_legal_minimum_years": "10", "retention_years": "8"}
    page = admin_session.post(URL, data).content.decode()
    retention = page.split('id="div_id_retention_years"')[1].split('id="div_id_')[0]
    assert "cannot be shorter than the legal minimum" in retention
    assert PracticePolicy.current().retention_years == 7


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30, ninety", "whole numbers of days separated by commas"),
        ("", "Give at least one number of days"),
        ("-30, 90", "whole numbers of days"),
        ("30, 5000", "within three years"),
        ("0, 30", "positive whole numbers"),
    ],
)
def test_it_explains_follow_up_offsets_it_cannot_read(admin_session, policy, typed, message):
    data = current_values() | {"follow_up_offsets_days": typed}
    page = admin_session.post(URL, data).content.decode()
    assert message in page
    assert PracticePolicy.current().follow_up_offsets_days == [30, 90, 180]


def test_it_does_not_let_a_stale_page_overwrite_another_admins_change(admin_session, policy):
    data = current_values() | {"version": "2001-01-01T00:00:00+00:00", "minimum_notice_days": "9"}
    page = admin_session.post(URL, data).content.decode()
    assert "Another admin changed the policy" in page
    assert 'value="9"' in page
    assert PracticePolicy.current().minimum_notice_days == 14


def test_it_sends_staff_without_two_factor_to_enrol_once_it_is_required(
    admin_session, client, owner, policy
):
    admin_session.post(URL, current_values() | {"mfa_required": "on"})
    assert PracticePolicy.current().mfa_required
    client.force_login(owner)
    response = client.get(reverse("counselor_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_setup"))


NUMBER_FIELDS = [
    name
    for name in POLICY_FIELDS
    if name
    not in (
        "closure_requires_approval",
        "mfa_required",
        "cosign_required_for",
        "crisis_resources",
        "crisis_resources_fr",
        "language",
        "practice_name",
        "address",
        "phone",
        "email",
        "letter_footer",
        "follow_up_offsets_days",
        "checkin_before_session",
        "risk_alert_to_supervisor",
    )
]
TEXT_INPUTS = [
    "practice_name",
    "phone",
    "email",
    "letter_footer",
    "letter_footer_fr",
    "follow_up_offsets_days",
    "checkin_before_session",
]

any_text = st.text(max_size=40)
number_text = st.one_of(st.integers(-5, 40000).map(str), any_text)
policy_data = st.fixed_dictionaries(
    {
        **dict.fromkeys(NUMBER_FIELDS, number_text),
        **dict.fromkeys(TEXT_INPUTS, any_text),
        "crisis_resources": any_text,
        "crisis_resources_fr": any_text,
        "language": st.one_of(st.sampled_from(["en", "fr"]), any_text),
        "address": any_text,
        "cosign_required_for": st.one_of(
            st.sampled_from(["nobody", "marked", "everyone"]), any_text
        ),
        "mfa_required": st.sampled_from(["", "on", "nonsense"]),
        "closure_requires_approval": st.sampled_from(["", "on"]),
        "risk_alert_to_supervisor": st.sampled_from(["", "on"]),
    }
)


@FAST
@given(data=policy_data)
def test_it_answers_whatever_is_typed_and_keeps_it(admin_session, policy, data):
    response = admin_session.post(URL, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Nothing was saved" in page
        for name in [*NUMBER_FIELDS, *TEXT_INPUTS]:
            assert f'value="{escape(data[name])}"' in page or not data[name], name
