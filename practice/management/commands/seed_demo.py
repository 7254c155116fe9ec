"""Load a demo practice: an admin, two supervisors, six counselors, supervision links, and a
clinical record of about sixty clients with months of sessions, notes, ratings and two groups.

Idempotent: running it again changes nothing that is already there (staff are matched by
username; the clinical record is loaded only while the practice has no client at all).
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from practice.demo.checkins import seed_checkins
from practice.demo.clinical import seed_clinical
from practice.demo.endings import seed_endings
from practice.policy.models import DEFAULT_CRISIS_RESOURCES_FR, PracticePolicy
from practice.staff.models import Supervision, User

DEMO_PASSWORD = "demo-practice-2026"

DEMO_CRISIS_RESOURCES = (
    "Emergency services: call 911\n"
    "Info-Social: call 811, option 2 (day and night)\n"
    "Québec suicide prevention line: 1-866-APPELLE (1-866-277-3553)\n"
    "9-8-8 Suicide Crisis Helpline: call or text 9-8-8"
)

# username, first, last, credentials, roles (counselor, supervisor, admin), cosign, supervisors
DEMO_STAFF = [
    ("admin", "Priya", "Nair", "", (False, False, True), False, []),
    ("supervisor", "Grace", "Okafor", "LPC-S, PhD", (True, True, False), False, []),
    ("supervisor2", "Erik", "Lindqvist", "LCSW-S", (False, True, False), False, []),
    ("counselor", "Maria", "Alvarez", "LPC", (True, False, False), False, ["supervisor"]),
    ("counselor2", "Daniel", "Chen", "LMFT", (True, False, False), False, ["supervisor"]),
    (
        "counselor3",
        "Amélie",
        "Dubois",
        "LPC-Associate",
        (True, False, False),
        True,
        ["supervisor", "supervisor2"],
    ),
    ("counselor4", "Samir", "Haddad", "LCSW", (True, False, False), False, ["supervisor2"]),
    (
        "counselor5",
        "Joanna",
        "Kowalski",
        "MA, Counselor in training",
        (True, False, False),
        True,
        ["supervisor2"],
    ),
    ("counselor6", "Kwame", "Mensah", "LPC", (True, False, False), False, ["supervisor2"]),
    # Works in French (her pages, her clients' letters): see FRENCH_STAFF.
    ("counselor7", "Geneviève", "Tremblay", "c.o.", (True, False, False), False, ["supervisor2"]),
]
FRENCH_STAFF = {"counselor7"}


class Command(BaseCommand):
    help = "Load the demo practice (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any user exists already."
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; the demo practice was not loaded.")
            return
        with transaction.atomic():
            staff = seed_staff()
            seed_policy()
            summary = seed_clinical(staff, timezone.localdate())
            endings = seed_endings(staff, timezone.localdate())
            checkins = seed_checkins(staff, timezone.localdate()) if endings is not None else None
        self.print_logins()
        if summary is None:
            self.stdout.write("The practice already has clients; no clinical demo data was added.")
        else:
            self.stdout.write(f"Clinical demo data: {summary}.")
        if endings is not None:
            self.stdout.write(f"Endings in every state: {endings}.")
        if checkins is not None:
            self.stdout.write(f"The client's side: {checkins}.")

    def print_logins(self) -> None:
        self.stdout.write(
            self.style.SUCCESS("Demo practice ready. Sign in at http://127.0.0.1:8000")
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for username, first, last, _, roles, _, _ in DEMO_STAFF:
            held = [
                name
                for name, has in zip(("counselor", "supervisor", "admin"), roles, strict=True)
                if has
            ]
            self.stdout.write(f"  {username:<12} {first} {last} ({', '.join(held)})")


def seed_staff() -> dict[str, User]:
    start = timezone.localdate() - dt.timedelta(days=365)
    users: dict[str, User] = {}
    for username, first, last, credentials, roles, cosign, _ in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.practice.test",
                "credentials": credentials,
                "is_counselor": roles[0],
                "is_supervisor": roles[1],
                "is_practice_admin": roles[2],
                "notes_require_cosign": cosign,
                "time_zone": "America/Toronto",
                "language": "fr" if username in FRENCH_STAFF else "en",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    for username, *_, supervisors in DEMO_STAFF:
        for supervisor in supervisors:
            Supervision.objects.get_or_create(
                supervisor=users[supervisor], supervisee=users[username], starts_on=start
            )
    return users


def seed_policy() -> PracticePolicy:
    policy = PracticePolicy.current()
    if policy.practice_name == PracticePolicy._meta.get_field("practice_name").default:
        policy.practice_name = "Riverbend Counseling (demo)"
        policy.address = "1200, rue Saint-Denis, bureau 4\nMontréal (Québec)  H2X 3J6"
        policy.phone = "(514) 555-0142"
        policy.email = "office@riverbend.demo"
        policy.letter_footer = "Riverbend Counseling is a fictional practice for demonstration."
        policy.letter_footer_fr = (
            "Counseling Riverbend est une clinique fictive, à des fins de démonstration."
        )
        # A Montréal practice: the crisis lines of Québec, in both languages.
        policy.crisis_resources = DEMO_CRISIS_RESOURCES
        policy.crisis_resources_fr = DEFAULT_CRISIS_RESOURCES_FR
        # The demo is for trying the product; real practices keep two-factor sign-in on.
        policy.mfa_required = False
        policy.save()
    return policy
