"""A check-in answered in French on the client's phone (390×844, JavaScript off): the client
corresponds in French, so the page, the validated French PHQ-9 and the crisis lines are in French
whatever the phone's language; axe-core finds nothing serious; screenshots for the closing note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sessions_app.checkins.services import checkin_send, checkin_show_in_room
from sessions_app.models import Rating
from tests.browser.test_checkins_phone import axe_page, check_phone_page, choose, phone  # noqa: F401
from tests.factories import ClientFactory, instrument

pytestmark = pytest.mark.django_db(transaction=True)

PHQ9_FR = [
    "Peu d'intérêt ou de plaisir à faire des choses",
    "Se sentir triste, déprimé(e) ou désespéré(e)",
    "Difficultés à s'endormir ou à rester endormi(e), ou trop dormir",
    "Se sentir fatigué(e) ou avoir peu d'énergie",
    "Peu d'appétit ou trop manger",
    "Mauvaise perception de vous-même",
    "Difficultés à se concentrer sur des choses",
    "Vous bougez ou parlez si lentement",
    "Vous avez pensé que vous seriez mieux mort(e)",
]


def test_a_french_check_in_on_the_phone(
    phone: Page,  # noqa: F811
    axe_page: Page,  # noqa: F811
    demo_staff,
):
    counselor = demo_staff["counselor7"]
    person = ClientFactory(
        primary_counselor=counselor,
        legal_first_name="Chloé",
        legal_last_name="Bouchard",
        language="fr",
    )
    checkin = checkin_send(
        actor=counselor, client=person, instruments=[instrument("PHQ-9")], channel="in_room"
    )
    raw, _code = checkin_show_in_room(actor=counselor, checkin=checkin)
    phone.goto(f"/c/{raw}/")
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.get_by_text("Plus de sept jours").first).to_be_visible()
    check_phone_page(phone, axe_page, "fr-checkin-phone-step")
    for question in PHQ9_FR:  # "Plusieurs jours" to each, item 9 included: the crisis lines
        choose(phone, question, "1")
    phone.locator("button[type=submit]").first.click()
    expect(phone.get_by_text(re.compile("Info-Social"))).to_be_visible()
    check_phone_page(phone, axe_page, "fr-checkin-phone-done")
    rating = Rating.objects.get(client=person)
    assert (rating.language, rating.total, rating.risk_endorsed) == ("fr", 9, True)
