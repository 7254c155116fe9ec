"""The practice admin's pages: policy, staff, client directory, instruments, audit.

The admin sees names, counselors, statuses, dates and audit metadata; never clinical content.
"""
