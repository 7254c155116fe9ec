"""Template helpers for check-ins."""

from django import template

register = template.Library()


@register.filter
def counts_for(counts: dict, client_id: int):
    """`{% with c=checkin_counts|counts_for:row.client.pk %}`: that client's CheckInCounts."""
    return counts.get(client_id) if counts else None


@register.inclusion_tag("checkins/_session_checkins.html")
def session_checkins(session):
    """The session's check-ins and their answers (two queries), for the session page."""
    from sessions_app.checkins.models import CheckIn
    from sessions_app.checkins.selectors import checkins_with_answers

    return {"checkins": checkins_with_answers(CheckIn.objects.filter(session=session))}
