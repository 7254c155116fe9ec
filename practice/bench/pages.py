"""The page benchmark: the pages people open all day, served by gunicorn under the production
settings, each timed against a floor (the cheapest signed-in page) in the same run.

Requests alternate floor, page, floor, page… so that the machine's noise (which swings by 2× from
one second to the next on a shared 2-core machine) falls on both alike; the ratio of the two
medians is the figure that travels between machines. Three rounds give the spread.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from practice.bench.loader import BenchUsers

FLOOR = "floor: password page"
SECRET_KEY = secrets.token_urlsafe(64)  # the server's, for this run
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # the BenchUsers attribute that opens it
    path: str


def pages(users: BenchUsers) -> list[Page]:
    """Every page a user opens daily, and the floor first."""
    client, ending, counselor = users.client.pk, users.ending.pk, users.counselor.pk
    return [
        Page(FLOOR, "counselor", reverse("password_change")),
        Page("caseload, 100 clients", "counselor", reverse("counselor_home")),
        Page("caseload, 20 clients", "small_counselor", reverse("counselor_home")),
        Page(
            "client page, 40 sessions",
            "counselor",
            reverse("client_detail", args=[client]),
        ),
        Page(
            "ending workspace",
            "counselor",
            reverse("termination_workspace", args=[ending]),
        ),
        Page("week agenda", "counselor", reverse("agenda")),
        Page("notifications", "counselor", reverse("notification_list")),
        Page("review board", "supervisor", reverse("supervisor_home")),
        Page(
            "supervisee's caseload",
            "supervisor",
            reverse("supervision_caseload", args=[counselor]),
        ),
        Page("co-sign queue", "supervisor", reverse("supervision_cosign_queue")),
        Page("approval queue", "supervisor", reverse("supervision_approval_queue")),
        Page("client directory", "admin", reverse("admin_clients")),
        Page("audit search", "admin", reverse("admin_audit")),
        Page("audit, filtered", "admin", f"{reverse('admin_audit')}?action=update"),
        Page("audit, deep page", "admin", f"{reverse('admin_audit')}?{deep_audit_page()}"),
        *report_pages(),
    ]


# Each report as each role that may open it sees it by default (the last 12 months): the
# counselor their own clients' endings, the supervisor their supervisees', the admin the practice.
REPORTS = ("endings", "outcomes", "alliance", "after")
REPORT_VIEWERS = ("counselor", "supervisor", "admin")


def report_pages() -> list[Page]:
    return [
        Page(f"report: {report}, {who}", who, reverse(f"report_{report}"))
        for report in REPORTS
        for who in REPORT_VIEWERS
    ]


def deep_audit_page(rows_back: int = 20_000) -> str:
    """The audit search 400 pages of 50 back: the keyset cursor of the row there (and, for a
    version that counted pages, the page number)."""
    from practice.audit.models import AuditEvent
    from practice.paging import cursor_of

    found = AuditEvent.objects.order_by("-at", "-id").values_list("at", "pk")[
        rows_back : rows_back + 1
    ]
    older = urlencode({"older": cursor_of(*found[0])}) if found else ""
    return f"page={rows_back // 50}&{older}"


def query_counts(users: BenchUsers, listed: list[Page]) -> dict[str, int]:
    """Each page's number of queries, through Django's test client in this process."""
    counts = {}
    with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        for page in listed:
            client = TestClient()
            client.force_login(getattr(users, page.who))
            client.get(page.path)  # the first request of a session writes it
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
            client.logout()
            if response.status_code != 200:
                raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code}")
            counts[page.name] = len(queries)
    return counts


@override_settings(SECRET_KEY=SECRET_KEY)
def signed_in_cookie(user) -> str:
    """A signed-in session for the user, written to the session table as a sign-in would (and
    signed with the key the servers are given): the Cookie header that carries it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["last_seen"] = time.time() + 24 * 3600  # never idle during the run
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def session_cookies(users: BenchUsers, who: set[str]) -> dict[str, str]:
    return {attribute: signed_in_cookie(getattr(users, attribute)) for attribute in who}


def forget_sessions(cookies: dict[str, str]) -> None:
    """The run's sessions end with it."""
    keys = [cookie.split("=", 1)[1] for cookie in cookies.values()]
    for key in keys:
        SessionStore(session_key=key).delete()


# Serving --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the production settings against the database this process uses."""

    def __init__(self, *, workers: int = 3, env: dict[str, str] | None = None):
        self.port = free_port()
        self.workers = workers
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.static_root = Path(settings.VAR_DIR) / "bench-static"

    def environment(self) -> dict[str, str]:
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        if db.get("PASSWORD"):
            url = url.replace("@", f":{db['PASSWORD']}@", 1)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "practice.settings.production",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": url,
            "STATIC_ROOT": str(self.static_root),
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }

    def __enter__(self) -> Server:
        env = self.environment()
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "practice.wsgi:application",
                "--workers", str(self.workers), "--bind", f"{HOST}:{self.port}",
                "--log-level", "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.port, "/healthz", "")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within a minute")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def request(
    port: int, path: str, cookie: str, *, method: str = "GET", body: str | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    """One request as a browser behind the TLS proxy would send it."""
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}:{port}",
        }
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def fetch(port: int, path: str, cookie: str) -> tuple[int, float, int]:
    """A timed GET: (status, seconds, bytes)."""
    started = time.perf_counter()
    response, body = request(port, path, cookie)
    return response.status, time.perf_counter() - started, len(body)


# Timing ---------------------------------------------------------------------------------------


@dataclass
class Timing:
    page: Page
    times: list[float] = field(default_factory=list)
    floor_times: list[float] = field(default_factory=list)
    round_ratios: list[float] = field(default_factory=list)
    rps_1: float = 0.0
    rps_4: float = 0.0
    queries: int | None = None
    size: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def ratio(self) -> float:
        return self.p50 / statistics.median(self.floor_times)


def time_pages(
    *,
    port: int,
    listed: list[Page],
    cookies: dict[str, str],
    requests: int,
    rounds: int,
    throughput_requests: int,
    log: Callable[[str], None],
) -> list[Timing]:
    floor = listed[0]
    floor_cookie = cookies[floor.who]
    timings = [Timing(page) for page in listed]
    for timing in timings:  # warm every worker's caches and connections
        for _ in range(3):
            status, _, timing.size = fetch(port, timing.page.path, cookies[timing.page.who])
            if status != 200:
                raise RuntimeError(f"{timing.page.name}: {timing.page.path} answered {status}")
    for number in range(rounds):
        log(f"round {number + 1} of {rounds}")
        for timing in timings:
            page_times, floor_times = [], []
            for _ in range(requests):
                floor_times.append(fetch(port, floor.path, floor_cookie)[1])
                page_times.append(fetch(port, timing.page.path, cookies[timing.page.who])[1])
            timing.times += page_times
            timing.floor_times += floor_times
            timing.round_ratios.append(
                statistics.median(page_times) / statistics.median(floor_times)
            )
    for timing in timings:
        cookie = cookies[timing.page.who]
        timing.rps_1 = _throughput(port, timing.page.path, cookie, 1, throughput_requests)
        timing.rps_4 = _throughput(port, timing.page.path, cookie, 4, throughput_requests)
    return timings


def _throughput(port: int, path: str, cookie: str, connections: int, total: int) -> float:
    each = max(1, total // connections)

    def work() -> None:
        for _ in range(each):
            fetch(port, path, cookie)

    threads = [threading.Thread(target=work) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return each * connections / (time.perf_counter() - started)


def table(timings: list[Timing]) -> list[str]:
    lines = [
        f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'× floor':>8} {'spread':>11} "
        f"{'req/s 1':>8} {'req/s 4':>8} {'queries':>7} {'KiB':>6}",
    ]
    for timing in timings:
        spread = f"{min(timing.round_ratios):.2f}–{max(timing.round_ratios):.2f}"
        lines.append(
            f"{timing.page.name:<28} {timing.p50 * 1000:>8.1f} {timing.p95 * 1000:>8.1f} "
            f"{timing.ratio:>8.2f} {spread:>11} {timing.rps_1:>8.1f} {timing.rps_4:>8.1f} "
            f"{timing.queries if timing.queries is not None else '':>7} "
            f"{timing.size / 1024:>6.1f}"
        )
    return lines
