from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "practice.outbox"
    label = "outbox"
    verbose_name = "Outbox of follow-on work"
    default_auto_field = "django.db.models.BigAutoField"
