"""Factories for test data. Passwords are all `password`."""

import factory
from django.utils import timezone

from practice.models import Supervision, User

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
