"""Time the pages people open all day at a practice of a chosen size (see practice/bench/).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py bench_pages \\
        --scale 500 --scale 5000

With one --scale the practice is loaded into the database DATABASE_URL names; with several, each
scale gets a database of its own beside it (bench_500, bench_5000). Loading is idempotent: a
second run reuses what the first loaded. Each scale is served by gunicorn (3 sync workers, the
production settings) and every page is timed against the floor, interleaved.
"""

from __future__ import annotations

import datetime as dt

import psycopg
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from practice.bench import loader
from practice.bench.pages import (
    Server,
    forget_sessions,
    pages,
    query_counts,
    session_cookies,
    table,
    time_pages,
)


class Command(BaseCommand):
    help = "Time every daily page against the floor at one or more practice sizes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, action="append", help="clients (repeatable)")
        parser.add_argument("--requests", type=int, default=15, help="per page per round")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--throughput", type=int, default=40, help="requests for req/s")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
        parser.add_argument(
            "--only",
            action="append",
            help="time only the pages whose name holds this text (repeatable; the floor always)",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The page benchmark runs on PostgreSQL: set DATABASE_URL.")
        scales = options["scale"] or [5000]
        base = connection.settings_dict["NAME"]
        results = {}
        for scale in scales:
            # One scale uses the database given; several use one database per scale.
            self._use_database(f"{base}_{scale}" if len(scales) > 1 else base)
            self.stdout.write(
                f"\n== {scale:,} clients (database {connection.settings_dict['NAME']})"
            )
            results[scale] = self._run(scale, options)
        if len(scales) > 1:
            self._compare(results)

    def _use_database(self, name: str) -> None:
        settings = connection.settings_dict
        connections.close_all()
        with psycopg.connect(
            host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
            password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True,
        ) as admin:  # fmt: skip
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not found.fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
        settings["NAME"] = name

    def _run(self, scale: int, options: dict) -> dict:
        call_command("migrate", verbosity=0)
        started = dt.datetime.now()
        users = loader.load(clients=scale, log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(f"  ready in {(dt.datetime.now() - started).total_seconds():.0f} s")
        listed = pages(users)
        if options["only"]:
            listed = [listed[0]] + [
                page for page in listed[1:] if any(text in page.name for text in options["only"])
            ]
        counts = query_counts(users, listed)
        cookies = session_cookies(users, {page.who for page in listed})
        try:
            with Server(workers=options["workers"]) as server:
                timings = time_pages(
                    port=server.port,
                    listed=listed,
                    cookies=cookies,
                    requests=options["requests"],
                    rounds=options["rounds"],
                    throughput_requests=options["throughput"],
                    log=lambda line: self.stdout.write(f"  {line}"),
                )
        finally:
            forget_sessions(cookies)
        for timing in timings:
            timing.queries = counts[timing.page.name]
        for line in table(timings):
            self.stdout.write(line)
        return {timing.page.name: timing for timing in timings}

    def _compare(self, results: dict) -> None:
        small, large = min(results), max(results)
        self.stdout.write(f"\n== {large:,} against {small:,} clients (ratio to each run's floor)")
        for name, timing in results[large].items():
            before = results[small][name]
            same = "same" if before.queries == timing.queries else "DIFFERENT"
            self.stdout.write(
                f"{name:<28} {timing.ratio / before.ratio:>6.2f}×   queries {before.queries} → "
                f"{timing.queries} ({same})"
            )
