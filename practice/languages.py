"""The field that records a language (a person's, a client's, a document's, a rating's): one of
settings.LANGUAGES, the default language when none is chosen."""

from django.conf import settings
from django.db import models


def language_field(verbose_name, **options) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        **options,
    )
