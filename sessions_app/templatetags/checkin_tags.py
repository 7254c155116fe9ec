"""Template helpers for check-ins."""

from django import template

register = template.Library()


@register.filter
def counts_for(counts: dict, client_id: int):
    """`{% with c=checkin_counts|counts_for:row.client.pk %}`: that client's CheckInCounts."""
    return counts.get(client_id) if counts else None
