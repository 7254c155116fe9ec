from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice"

    def ready(self) -> None:
        from practice.audit import signals  # noqa: F401  (sign-in audit receivers)
        from practice.celery import ensure_filesystem_broker_folders
        from practice.reminders import receivers  # noqa: F401  (check-in alerts)

        ensure_filesystem_broker_folders()
