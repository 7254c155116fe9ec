"""Review comments and the monthly "chart reviewed" mark: the services, the views, the audit log,
who sees the comments, and any text typed into the comment form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.models import ChartReview, ClientStatus, ReviewComment
from clients.reviews import chart_review_mark, client_review, review_comment_add
from practice.audit.models import AuditEvent
from practice.supervision.views import review_context
from tests.factories import ClientFactory
from tests.html_forms import without_language_switch

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def month() -> dt.date:
    return timezone.localdate().replace(day=1)


# Services -----------------------------------------------------------------------------------


def test_a_supervisor_leaves_a_comment_that_is_audited_without_its_text(supervisor, own_client):
    comment = review_comment_add(
        actor=supervisor, client=own_client, text="  Ask about the sleep diary.  "
    )
    assert comment.text == "Ask about the sleep diary."
    assert comment.author == supervisor
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, actor=supervisor)
    assert event.client_id == own_client.pk
    assert event.object_type == "clients.reviewcomment" and event.object_id == str(comment.pk)
    assert "sleep diary" not in event.summary


def test_a_blank_comment_is_refused_beside_the_field(supervisor, own_client):
    with pytest.raises(ValidationError) as refused:
        review_comment_add(actor=supervisor, client=own_client, text="   ")
    assert "text" in refused.value.error_dict
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider_supervisor", "practice_admin"])
def test_only_a_current_supervisor_may_comment_or_mark(request, own_client, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="current supervisor"):
        review_comment_add(actor=actor, client=own_client, text="Hello")
    with pytest.raises(ValidationError, match="current supervisor"):
        chart_review_mark(actor=actor, client=own_client)
    assert not ReviewComment.objects.exists() and not ChartReview.objects.exists()


def test_a_closed_record_takes_no_more_review(supervisor, owner):
    closed = ClientFactory(primary_counselor=owner, status=ClientStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed and locked"):
        review_comment_add(actor=supervisor, client=closed, text="Late thought")
    with pytest.raises(ValidationError, match="closed and locked"):
        chart_review_mark(actor=supervisor, client=closed)


def test_the_mark_is_once_per_supervisor_per_month_and_audited(
    supervisor, outsider_supervisor, owner, own_client
):
    from tests.factories import SupervisionFactory

    mark = chart_review_mark(actor=supervisor, client=own_client)
    assert mark.month == month()
    event = AuditEvent.objects.get(object_type="clients.chartreview")
    assert event.client_id == own_client.pk and event.actor == supervisor
    with pytest.raises(ValidationError, match="already marked"):
        chart_review_mark(actor=supervisor, client=own_client)
    SupervisionFactory(supervisor=outsider_supervisor, supervisee=owner)
    chart_review_mark(actor=outsider_supervisor, client=own_client)
    last_month = month() - dt.timedelta(days=1)
    assert chart_review_mark(actor=supervisor, client=own_client, month=last_month).month == (
        last_month.replace(day=1)
    )
    assert ChartReview.objects.count() == 3


def test_a_month_still_to_come_cannot_be_marked(supervisor, own_client):
    with pytest.raises(ValidationError, match="still to come"):
        chart_review_mark(
            actor=supervisor, client=own_client, month=month() + dt.timedelta(days=40)
        )


# Who sees the comments ------------------------------------------------------------------------


def render_panel(client_record, viewer) -> str:
    request = RequestFactory().get(f"/clients/{client_record.pk}/")
    request.user = viewer
    return render_to_string(
        "clients/_review_comments.html",
        {"client": client_record, **review_context(client_record, viewer)},
        request=request,
    )


def test_the_counselor_reads_the_comments_and_the_mark_without_the_forms(
    owner, supervisor, own_client
):
    review_comment_add(actor=supervisor, client=own_client, text="Review the risk plan.")
    chart_review_mark(actor=supervisor, client=own_client)
    panel = render_panel(own_client, owner)
    assert "Review the risk plan." in panel
    assert "Reviewed</span> by Sofia Super" in panel
    assert "<form" not in panel
    assert client_review(own_client, owner).can_review is False


def test_the_supervisor_sees_the_forms_until_the_month_is_marked(supervisor, own_client):
    panel = render_panel(own_client, supervisor)
    assert reverse("supervision_comment_add", args=[own_client.pk]) in panel
    assert reverse("supervision_chart_reviewed", args=[own_client.pk]) in panel
    chart_review_mark(actor=supervisor, client=own_client)
    panel = render_panel(own_client, supervisor)
    assert reverse("supervision_chart_reviewed", args=[own_client.pk]) not in panel
    assert reverse("supervision_comment_add", args=[own_client.pk]) in panel


# Views ----------------------------------------------------------------------------------------


def test_posting_a_comment_returns_to_the_page_it_came_from(client, supervisor, own_client):
    client.force_login(supervisor)
    back = reverse("client_detail", args=[own_client.pk])
    response = client.post(
        reverse("supervision_comment_add", args=[own_client.pk]),
        {"review-text": "Consider a PHQ-9 this week.", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert own_client.review_comments.get().text == "Consider a PHQ-9 this week."
    panel = client.get(reverse("supervision_client", args=[own_client.pk])).content.decode()
    assert "Consider a PHQ-9 this week." in panel


def test_a_foreign_next_address_is_ignored(client, supervisor, own_client):
    client.force_login(supervisor)
    response = client.post(
        reverse("supervision_chart_reviewed", args=[own_client.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("supervision_client", args=[own_client.pk])
    assert own_client.chart_reviews.count() == 1


def test_marking_twice_shows_the_services_message(client, supervisor, own_client):
    client.force_login(supervisor)
    url = reverse("supervision_chart_reviewed", args=[own_client.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "You already marked this chart reviewed" in response.content.decode()
    assert own_client.chart_reviews.count() == 1


def test_the_review_panel_is_audited_and_shows_the_mark_history(client, supervisor, own_client):
    chart_review_mark(actor=supervisor, client=own_client)
    client.force_login(supervisor)
    response = client.get(reverse("supervision_client", args=[own_client.pk]))
    assert response.status_code == 200
    assert response.context["past_marks"][0].month == month()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, client_id=own_client.pk, actor=supervisor
    ).exists()


def test_review_urls_answer_404_for_anyone_but_a_current_supervisor(
    client, owner, colleague, colleagues_client, outsider_supervisor, supervisor, own_client
):
    for user, record in (
        (owner, own_client),
        (outsider_supervisor, own_client),
        (supervisor, colleagues_client),
    ):
        client.force_login(user)
        assert client.get(reverse("supervision_client", args=[record.pk])).status_code == 404
        for name in ("supervision_comment_add", "supervision_chart_reviewed"):
            url = reverse(name, args=[record.pk])
            assert client.post(url, {"review-text": "x"}).status_code == 404, (user, name)
    assert not ReviewComment.objects.exists() and not ChartReview.objects.exists()


def test_a_supervisor_cannot_review_their_own_client(client, supervisor):
    supervisor.is_counselor = True
    supervisor.save()
    own = ClientFactory(primary_counselor=supervisor)
    client.force_login(supervisor)
    assert client.get(reverse("supervision_client", args=[own.pk])).status_code == 404


@FAST
@given(text=st.text(max_size=4100))
def test_the_comment_form_survives_any_text(client, supervisor, own_client, text):
    client.force_login(supervisor)
    before = ReviewComment.objects.count()
    response = client.post(
        reverse("supervision_comment_add", args=[own_client.pk]), {"review-text": text}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        form = response.context["review_comment_form"]
        assert form.errors, "a refused comment says why"
        assert form["text"].value() == text
        assert ReviewComment.objects.count() == before
    else:
        assert ReviewComment.objects.count() == before + 1


def test_a_refused_comment_keeps_the_page_to_return_to(client, supervisor, own_client):
    client.force_login(supervisor)
    url = reverse("supervision_comment_add", args=[own_client.pk])
    back = reverse("client_detail", args=[own_client.pk])
    refused = client.post(url, {"review-text": "  ", "next": back})
    assert refused.status_code == 200
    assert f'name="next" value="{back}"' in refused.content.decode()
    without_next = client.post(url, {"review-text": ""}).content.decode()
    # The language switch carries the page's own address back; the comment form does not.
    without_next = without_language_switch(without_next)
    panel = reverse("supervision_client", args=[own_client.pk])
    assert f'name="next" value="{panel}"' in without_next
    assert f'name="next" value="{url}"' not in without_next
