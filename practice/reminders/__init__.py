"""Reminders and alerts: periodic sweeps find what is due and record one notification row per
(kind, object, due date, recipient); a delivery task sends the email; the in-app list shows the
rest. See README, "Reminders"."""
