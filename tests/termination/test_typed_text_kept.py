"""Three workspace forms that once refused by redirecting, dropping what was typed (an addendum
to the summary, a return comment, a reason to withdraw): refused, they show the workspace again
with the text kept and the reason beside it."""

import pytest
from django.urls import reverse

from termination.models import SummaryAddendum, TerminationState

pytestmark = pytest.mark.django_db

TOO_LONG = "Typed with care. " * 1_300  # past the 20,000 characters of free text


def test_a_refused_reason_to_withdraw_is_kept(client, owner, flow, ending):
    client.force_login(owner)
    response = client.post(reverse("termination_withdraw", args=[ending.pk]), {"reason": TOO_LONG})
    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_LONG.strip() in page and "at most 20000 characters" in page
    assert flow.refresh(ending).state != TerminationState.WITHDRAWN


def test_a_refused_addendum_to_the_summary_is_kept(client, owner, flow, ending):
    signed = flow.signed(ending)
    client.force_login(owner)
    url = reverse("termination_summary_addendum", args=[signed.pk])
    response = client.post(url, {"text": TOO_LONG})
    assert response.status_code == 200
    assert TOO_LONG.strip() in response.content.decode()
    assert not SummaryAddendum.objects.exists()
    assert client.post(url, {"text": "A date was wrong."}).status_code == 302


def test_a_refused_return_comment_is_kept(client, owner, supervisor, flow, ending):
    flow.set_policy(closure_requires_approval=True)
    awaiting = flow.signed(ending)
    assert awaiting.state == TerminationState.AWAITING_APPROVAL
    client.force_login(supervisor)
    url = reverse("termination_summary_return", args=[awaiting.pk])
    response = client.post(url, {"comment": TOO_LONG})
    assert response.status_code == 200
    assert TOO_LONG.strip() in response.content.decode()
    assert flow.refresh(awaiting).state == TerminationState.AWAITING_APPROVAL
