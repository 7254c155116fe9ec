"""Add former clients with closed endings over the last year, for the outcome reports.

    python manage.py seed_demo            # the demo practice first
    python manage.py seed_demo_history    # then 60 former clients (or --former-clients N)

Not idempotent on purpose: each run adds another cohort (use a new --seed for different people).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from practice.demo.history import seed_history


class Command(BaseCommand):
    help = "Add former clients with closed endings over the last year (for the outcome reports)."

    def add_arguments(self, parser):
        parser.add_argument("--former-clients", type=int, default=60)
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument(
            "--sessions-each",
            type=int,
            default=0,
            help="Attended sessions per former client (0: from 2 to 16, by kind of ending).",
        )

    def handle(self, *args, former_clients: int, seed: int, sessions_each: int, **options):
        count = seed_history(
            former_clients=former_clients,
            today=timezone.localdate(),
            seed=seed,
            sessions_each=sessions_each,
        )
        self.stdout.write(self.style.SUCCESS(f"Added {count} former clients with closed endings."))
