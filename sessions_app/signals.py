"""What the clinical record announces to the layers above it, which listen without being imported
here: the reminders (practice/reminders/receivers.py) send an alliance alert the moment it is
raised."""

from django.dispatch import Signal

# Sent after the rating's transaction commits, with alert_id=<AllianceAlert pk>.
alliance_alert_raised = Signal()
