"""The reminders listen to what the clinical record announces (connected in
PracticeConfig.ready), inside the transaction that made the change: the alerts are written with
it, and sent after the commit."""

from django.dispatch import receiver

from practice.reminders.checkin_alerts import checkin_completed, record_checkin_risk
from sessions_app.checkins import signals


@receiver(signals.risk_endorsed)
def alert_risk(sender, rating, **kwargs) -> None:
    record_checkin_risk(rating)


@receiver(signals.checkin_completed)
def tell_of_answers(sender, checkin, **kwargs) -> None:
    checkin_completed(checkin)
