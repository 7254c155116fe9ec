"""The counselor's desk: the caseload and the client page, which read across the whole record."""
