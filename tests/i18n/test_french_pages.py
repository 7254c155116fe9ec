"""Every page of the access walk, opened in French by each visitor allowed to open it, shows no
common English interface word.

"Client" is not on the list: it is also the French word the profession uses (OCCOQ), as are
"Notes", "Agenda", "Supervision", "Date", "Action", "Notifications" and "Page". The words are
interface words: what people typed (a note, a goal, the English crisis lines on the policy page)
stays in the language it was typed in.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.access_walk import visits

pytestmark = pytest.mark.django_db

ENGLISH_WORDS = [
    "Save",
    "Cancel",
    "Session",
    "Sessions",
    "Sign out",
    "Sign in",
    "Closing summary",
    "Notice",
    "Referral",
    "Referrals",
    "Edit",
    "Back",
    "Overdue",
    "Draft",
    "Caseload",
    "Search",
    "Settings",
    "Submit",
    "Reports",
    "Goals",
    "Ending",
    "Endings",
    "Due",
    "None",
    "Yes",
    "No",
    "Open",
    "Closed",
    "Show",
    "Download",
    "Follow-up",
    "Measures",
    "Providers",
    "Previous",
    "Next",
]
ENGLISH = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")\b")
# Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class VisibleText(HTMLParser):
    """The text a person reads: text outside script/style, and the read attributes. Parts in
    another language (lang="en", such as the switch back to English) are left out."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style") or attributes.get("lang", "fr").startswith("en"):
            self.skipping.append(tag)
            return
        if not self.skipping:
            self.parts += [attributes[name] or "" for name in READ_ATTRIBUTES if name in attributes]

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def visitors(visitors) -> dict:
    """The walk's staff (tests/conftest.py), each working in French."""
    for person in visitors.values():
        person.language = "fr"
        person.save(update_fields=["language"])
    return visitors


def test_every_page_reads_in_french(visitors):
    pages, english = 0, []
    for visit, browser in visits(visitors):
        response = browser.get(visit.url, headers={"accept-language": "fr"})
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        assert '<html lang="fr"' in html, visit
        found = sorted(set(ENGLISH.findall(visible_text(html))))
        if found:
            english.append(f"{visit.visitor} {visit.url}: {', '.join(found)}")
    assert pages > 100
    assert english == [], "English words on French pages:\n" + "\n".join(english)
