"""The outcome reports: every counselor, supervisor and the practice admin opens them, each seeing
only what their role allows (tests/reports/test_views.py checks the figures behind the doors)."""

REPORT_VIEWERS = {"owner", "colleague", "supervisor", "practice_admin"}

ROLE_PAGES: dict[str, set[str]] = {
    name: REPORT_VIEWERS
    for report in ("endings", "outcomes", "alliance", "after")
    for name in (f"report_{report}", f"report_{report}_csv")
}
OBJECT_URLS: list = []
