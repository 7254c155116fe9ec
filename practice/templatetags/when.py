"""The ``when`` filter, a template builtin: ``{{ session.starts_at|when:"datetime" }}``."""

from django import template

from practice import formats

register = template.Library()


@register.filter(expects_localtime=True)
def when(value, style: str = "date") -> str:
    return formats.when(value, style)
