"""The outbox: follow-on work that survives a broker outage and a killed worker.

A change that asks for work in the background (a signed summary's PDF, an alliance alert) writes
an `OutboxTask` row in its own transaction (`outbox_enqueue`). After the commit the row is handed
to the broker; a broker that cannot be reached is logged and never fails the request. The task
(based on `OutboxWork`) runs only while its row is open and marks it done. A beat sweep
(`sweep_outbox`, every OUTBOX_SWEEP_SECONDS) hands out again any open row whose lease has passed
(never sent, the worker killed, the message lost), up to OUTBOX_MAX_ATTEMPTS hand-outs; then the
row is marked failed for the admin to see, and a hook registered with `on_give_up` tells the
record that asked for it.

Reminder email follows the same pattern with rows of its own (practice/reminders/delivery.py):
the Notification row is the outbox row, with its claim lease and the delivery beat.
"""
