from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "practice.outbox"
    label = "outbox"
    verbose_name = _("Outbox of follow-on work")
    default_auto_field = "django.db.models.BigAutoField"
