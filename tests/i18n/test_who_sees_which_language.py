"""Who sees which language: the browser before sign-in, the staff member's profile after it,
the switch for both; the client's language of correspondence on everything sent to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from practice.formats import when
from sessions_app.models import Instrument
from tests.factories import instrument

pytestmark = pytest.mark.django_db


def test_before_sign_in_the_browser_decides_and_the_switch_overrides_it(client):
    french = client.get(reverse("login"), headers={"accept-language": "fr-CA,fr;q=0.9"})
    assert '<html lang="fr"' in french.content.decode()
    assert "Se connecter" in french.content.decode()
    assert "Sign in" not in french.content.decode()
    switched = client.post(reverse("language_switch"), {"language": "en", "next": reverse("login")})
    assert switched.status_code == 302 and switched["Location"] == reverse("login")
    english = client.get(reverse("login"), headers={"accept-language": "fr"})
    assert '<html lang="en"' in english.content.decode()


def test_signed_in_the_profile_decides_and_the_switch_saves_it(client, owner):
    client.force_login(owner)
    page = client.get(reverse("counselor_home"), headers={"accept-language": "fr"})
    assert '<html lang="en"' in page.content.decode()  # the profile says English
    client.post(reverse("language_switch"), {"language": "fr", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "fr"
    page = client.get(reverse("counselor_home")).content.decode()
    assert '<html lang="fr"' in page and "Ma charge de cas" in page


def test_the_profile_page_saves_language_and_time_zone_and_refuses_nonsense(client, owner):
    client.force_login(owner)
    url = reverse("profile")
    refused = client.post(url, {"language": "xx", "time_zone": "Mars/Olympus"})
    assert refused.status_code == 200
    assert refused.context["form"].errors.keys() == {"language", "time_zone"}
    saved = client.post(url, {"language": "fr", "time_zone": "America/Toronto"}, follow=True)
    owner.refresh_from_db()
    assert (owner.language, owner.time_zone) == ("fr", "America/Toronto")
    assert "Vos préférences sont enregistrées." in saved.content.decode()


def test_a_bad_switch_changes_nothing_and_never_leaves_the_site(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("language_switch"), {"language": "de", "next": "https://elsewhere.test/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    owner.refresh_from_db()
    assert owner.language == "en"


def test_dates_and_times_follow_the_language():
    moment = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)
    with translation.override("fr"):
        assert when(moment, "full_datetime") == "lundi 30 novembre 2026, 16 h 00"
        assert when(moment.date(), "date") == "30 nov. 2026"
    assert when(moment, "full_datetime") == "Monday 30 November 2026, 16:00"


def test_a_licensed_instrument_typed_in_both_languages_is_given_in_the_clients(
    client, practice_admin, owner, own_client
):
    client.force_login(practice_admin)
    response = client.post(
        reverse("instrument_create"),
        {
            "name": "Our licensed scale",
            "short_name": "OLS",
            "kind": "outcome",
            "items": "Feeling well\nSleeping well",
            "items_fr": "Se sentir bien\nBien dormir",
            "name_fr": "Notre échelle sous licence",
            "scale_min": 0,
            "scale_max": 4,
            "scale_labels_fr": "0: Jamais\n4: Toujours",
            "scoring": "sum",
            "higher_is_better": "true",
            "licence_reference": "Licence 42",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    scale = Instrument.objects.get(short_name="OLS")
    assert scale.translations["fr"]["items"] == {"item1": "Se sentir bien", "item2": "Bien dormir"}
    own_client.language = "fr"
    own_client.save(update_fields=["language"])
    client.force_login(owner)
    page = client.get(
        reverse("rating_create", args=[own_client.pk]) + f"?instrument={scale.pk}"
    ).content.decode()
    assert "Bien dormir" in page and "Sleeping well" not in page


def test_french_items_must_match_the_items_one_for_one(client, practice_admin):
    client.force_login(practice_admin)
    response = client.post(
        reverse("instrument_create"),
        {
            "name": "Scale",
            "short_name": "S",
            "kind": "outcome",
            "items": "One\nTwo",
            "items_fr": "Un",
            "scale_min": 0,
            "scale_max": 4,
            "scoring": "sum",
            "higher_is_better": "true",
            "licence_reference": "Licence",
        },
    )
    assert response.status_code == 200
    assert "items_fr" in response.context["form"].errors
    assert response.context["form"]["items_fr"].value() == "Un"  # nothing typed is lost


def test_shipped_instruments_carry_their_french_and_their_source():
    for name in ("PHQ-9", "GAD-7"):
        french = instrument(name).in_language("fr")
        assert "Pfizer" in french.licence_reference
        assert all(
            item["text"] != english["text"]
            for item, english in zip(french.items, instrument(name).items, strict=True)
        )
    with pytest.raises(TypeError):
        instrument("PHQ-9").in_language("fr").save()
