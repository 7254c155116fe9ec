"""What a check-in announces to the layers above it, inside the transaction that answered it.

The reminders (practice/reminders/receivers.py) listen: a risk item alerts the counselor at once,
an answered check-in is shown before the session, and a follow-up's answers go to the ending's
relapse watch. The check-in itself imports none of them."""

from django.dispatch import Signal

# Sent with rating=<the Rating> when a client endorses a risk item (PHQ-9 item 9 above zero).
risk_endorsed = Signal()
# Sent with checkin=<the CheckIn> when every question is answered.
checkin_completed = Signal()
