"""Supervision: the supervisor's review board, queues, a supervisee's caseload, review comments."""
