"""The reminders listen to what the clinical record announces (connected in
PracticeConfig.ready)."""

from django.dispatch import receiver

from practice.reminders.alerts import queue_alliance_alert
from sessions_app.signals import alliance_alert_raised


@receiver(alliance_alert_raised)
def send_alliance_alert(sender, alert_id: int, **kwargs) -> None:
    queue_alliance_alert(alert_id)
