"""Factories for test data. Passwords are all `password`."""

import datetime as dt

import factory
from django.utils import timezone

from clients.models import Client, Consent, ConsentKind, Goal
from practice.staff.models import Supervision, User
from sessions_app.models import (
    CounselingSession,
    Group,
    GroupMember,
    Instrument,
    ProgressNote,
    SessionStatus,
)
from sessions_app.services.sessions import session_refresh_note_due

PASSWORD = "password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(PASSWORD)


class CounselorFactory(UserFactory):
    is_counselor = True
    credentials = "LPC"


class SupervisorFactory(UserFactory):
    is_supervisor = True


class PracticeAdminFactory(UserFactory):
    is_practice_admin = True


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    supervisor = factory.SubFactory(SupervisorFactory)
    supervisee = factory.SubFactory(CounselorFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))


# Clinical records -----------------------------------------------------------------------------


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    legal_first_name = factory.Faker("first_name")
    legal_last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: dt.date(1990, 5, 17))
    intake_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=120))
    opened_on = factory.SelfAttribute("intake_date")
    primary_counselor = factory.SubFactory(CounselorFactory)
    may_write = True
    may_email = True
    email = factory.LazyAttribute(lambda c: f"{c.legal_first_name.lower()}@client.test")


class SessionFactory(factory.django.DjangoModelFactory):
    """A past attended individual session by default."""

    class Meta:
        model = CounselingSession
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    counselor = factory.LazyAttribute(lambda s: s.client.primary_counselor if s.client else None)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    duration_minutes = 50
    ends_at = factory.LazyAttribute(
        lambda s: s.starts_at + dt.timedelta(minutes=s.duration_minutes)
    )
    status = SessionStatus.ATTENDED
    created_by = factory.SelfAttribute("counselor")

    @factory.post_generation
    def note_due(session, create, extracted, **kwargs):
        """Made without the services: derive the flag they keep."""
        if create:
            session_refresh_note_due(session_id=session.pk)
            session.refresh_from_db(fields=["note_due"])


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    client = factory.SelfAttribute("session.client")
    author = factory.SelfAttribute("session.counselor")
    data = "Client described a calmer week and practised the breathing exercise twice."
    assessment = "Engaged; avoidance is easing."
    plan = "Continue exposure steps; review in two weeks."

    @factory.post_generation
    def note_due(note, create, extracted, **kwargs):
        if create:
            session_refresh_note_due(session_id=note.session_id)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    kind = ConsentKind.TREATMENT
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    recorded_by = factory.SelfAttribute("client.primary_counselor")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    client = factory.SubFactory(ClientFactory)
    description = "Sleep through the night most nights"
    measure = "Five nights a week with under one waking, from the sleep diary"
    created_by = factory.SelfAttribute("client.primary_counselor")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Anxiety skills group {n}")
    created_by = factory.SubFactory(CounselorFactory)

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create:
            self.facilitators.set(extracted or [self.created_by])


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(GroupFactory)
    client = factory.SubFactory(ClientFactory)
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


def instrument(short_name: str) -> Instrument:
    """A shipped instrument: 'Alliance', 'PHQ-9' or 'GAD-7'."""
    return Instrument.objects.get(short_name=short_name, is_shipped=True)
