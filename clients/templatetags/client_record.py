"""Template helpers for the client record."""

import datetime as dt

from django import template

from clients.models import Consent

register = template.Library()


@register.filter
def state_on(consent: Consent, day: dt.date) -> str:
    """`{{ consent|state_on:today }}`: valid, expired, revoked or not yet signed on that day."""
    return consent.state_on(day)
