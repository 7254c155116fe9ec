"""The practice policy: one row of values the admin sets, and the history of their changes."""
