"""The admin manages the practice but never opens a note, rating, goal or summary; a counselor
never opens an admin page."""

import pytest
from django.urls import reverse

from termination.models import Termination
from tests.access_matrix.practice_admin import ADMIN_PAGES
from tests.factories import ClientFactory, GoalFactory, NoteFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinical_urls(owner) -> dict[str, str]:
    person = ClientFactory(primary_counselor=owner)
    note = NoteFactory(session=SessionFactory(client=person))
    goal = GoalFactory(client=person)
    ending = Termination.objects.create(
        client=person, kind="planned", initiated_by="client", opened_by=owner
    )
    return {
        "note": reverse("note_detail", args=[note.pk]),
        "rating": reverse("rating_create", args=[person.pk]),
        "goal": reverse("goal_edit", args=[goal.pk]),
        "summary": reverse("termination_summary", args=[ending.pk]),
    }


@pytest.mark.parametrize("kind", ["note", "rating", "goal", "summary"])
def test_it_refuses_the_admin_clinical_content(admin_session, client, owner, clinical_urls, kind):
    assert admin_session.get(clinical_urls[kind]).status_code == 404
    client.force_login(owner)
    assert client.get(clinical_urls[kind]).status_code == 200  # the page exists for its counselor


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_it_answers_a_counselor_404_on_every_admin_page(client, owner, name):
    client.force_login(owner)
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name)).status_code == 404
