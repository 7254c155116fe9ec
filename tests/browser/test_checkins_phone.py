"""Check-ins walked on a phone (390×844, JavaScript off on the phone): the counselor shows the QR
code and short code, the client answers the alliance check-in and PHQ-9 on the phone, the
counselor sees the answers; then an ending is closed, a follow-up answered with a score back
above the cutoff raises a signal, and the counselor offers a booster session from it.

Screenshots of the client's pages go to /work/notes/shots/ (and test-artifacts/); axe-core
(bundled by axe-playwright-python) must find no serious or critical problem on them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clients.models import ConsentKind
from practice.management.commands.seed_demo import DEMO_PASSWORD
from sessions_app.checkins.models import CheckIn, CheckInState
from sessions_app.models import CounselingSession, Rating, RatingMode, SessionKind
from sessions_app.services import rating_record
from termination.models import RelapseSignal, TerminationState, WatchCheckIn
from termination.relapse_watch import contact_choice_record, relapse_watch_send
from tests.factories import ClientFactory, ConsentFactory, SessionFactory, instrument
from tests.termination.conftest import Workflow

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/work/notes/shots/issue-11-checkins")


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    """The client's own phone: a small touch screen, and no JavaScript at all. The wrong-link
    counter is per address, and every test comes from 127.0.0.1: start from zero."""
    cache.clear()
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:
    """axe-core runs its checks in JavaScript: a phone page with it on, showing the same HTML."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str) -> None:
    for folder in (SHOTS, Path(settings.BASE_DIR) / "test-artifacts"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=folder / f"{name}.png", full_page=True)
        except OSError:
            pass


def check_phone_page(page: Page, axe_page: Page, name: str) -> None:
    """No sideways scrolling at 390 px or at 360 px, nothing serious for axe, a screenshot."""
    shot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size(PHONE)
    axe_page.goto("/static/css/checkin.css")  # same origin, so the page's styles load
    axe_page.set_content(page.content())
    results = Axe().run(axe_page)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]][:5])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


def choose(page: Page, question: str, value: str) -> None:
    """Tap the answer's label inside the question's fieldset, as a finger would."""
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    group.locator(f"label.choice:has(input[value='{value}'])").click()


ALLIANCE = {
    "My counselor and I are aiming at the same changes.": "9",
    "The activities and conversations in our sessions make sense to me.": "8",
    "I trust my counselor and can be honest here.": "10",
    "I am glad I came today.": "9",
}
PHQ9 = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself",
    "Trouble concentrating on things",
    "Moving or speaking so slowly",
    "Thoughts that you would be better off dead",
]


def answer_phq9(phone: Page, answers: list[str], *, leave_out: int | None = None) -> None:
    for number, (question, answer) in enumerate(zip(PHQ9, answers, strict=True)):
        if number != leave_out:
            choose(phone, question, answer)


def test_a_check_in_on_the_phone_then_a_relapse_signal_after_the_ending(
    page: Page, phone: Page, axe_page: Page, demo_staff, sign_in, live_server, settings
):
    settings.SITE_URL = live_server.url
    counselor, supervisor = demo_staff["counselor"], demo_staff["supervisor"]
    person = ClientFactory(
        primary_counselor=counselor,
        legal_first_name="Noor",
        legal_last_name="Haddad",
        email="noor@example.org",
        may_email=True,
    )
    ConsentFactory(
        client=person,
        kind=ConsentKind.ELECTRONIC,
        signed_on=timezone.localdate() - dt.timedelta(days=60),
    )
    for weeks_ago in range(6, 0, -1):
        SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago))
    rating_record(
        actor=counselor,
        client=person,
        instrument=instrument("PHQ-9"),
        answers={f"phq{n}": 1 if n <= 4 else 0 for n in range(1, 10)},
        administered_on=timezone.localdate() - dt.timedelta(weeks=2),
    )

    # The counselor, in the room, shows the QR code and the short code.
    sign_in(page, "counselor", DEMO_PASSWORD)
    page.goto(f"/clients/{person.pk}/")
    page.get_by_role("link", name="Send a check-in").click()
    page.get_by_label("Alliance check-in").check()
    page.get_by_label("Patient Health Questionnaire (PHQ-9)").check()
    page.get_by_label("In the room (QR code or short code)").check()
    page.get_by_role("button", name="Send the check-in").click()
    expect(page.get_by_test_id("checkin-qr").locator("svg")).to_be_visible()
    code = page.get_by_test_id("short-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    shot(page, "counselor-room-qr")

    # The client, on their phone, types the code (a scan opens the same page) and answers.
    phone.goto("/c/")
    check_phone_page(phone, axe_page, "phone-1-type-the-code")
    phone.get_by_label("The code on your counselor's screen").fill(code.lower())
    phone.get_by_role("button", name="Start").click()
    expect(phone.get_by_text("1 of 2")).to_be_visible()
    link_from_the_code = phone.url
    expect(phone.get_by_text("Hello Noor,")).to_be_visible()
    expect(phone.get_by_text("Haddad")).to_have_count(0)
    check_phone_page(phone, axe_page, "phone-2-alliance")
    for question, answer in ALLIANCE.items():
        choose(phone, question, answer)
    phone.get_by_role("button", name="Next").click()

    expect(phone.get_by_text("2 of 2")).to_be_visible()
    answers = ["1", "1", "0", "1"] + ["0"] * 5
    answer_phq9(phone, answers, leave_out=4)
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("Some questions are not answered yet")).to_be_visible()
    first = phone.get_by_role("group", name=re.compile("Little interest"))
    expect(first.get_by_label("1 – Several days")).to_be_checked()
    expect(first.get_by_label("0 – Not at all")).not_to_be_checked()
    check_phone_page(phone, axe_page, "phone-3-phq9-one-missing")
    choose(phone, PHQ9[4], "0")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you, Noor")).to_be_visible()
    check_phone_page(phone, axe_page, "phone-4-thank-you")

    checkin = CheckIn.objects.get(client=person)
    assert checkin.state == CheckInState.COMPLETED
    device = Rating.objects.filter(client=person, mode=RatingMode.DEVICE)
    assert sorted(device.values_list("total", flat=True)) == [3, 36]

    # The counselor sees the answers.
    page.get_by_role("link", name="See the answers").click()
    expect(page.get_by_test_id("total-Alliance")).to_contain_text("36")
    expect(page.get_by_test_id("total-PHQ-9")).to_contain_text("3")
    shot(page, "counselor-answers")
    page.goto(f"/clients/{person.pk}/")
    expect(page.get_by_test_id("checkin-counts")).to_have_text(
        "1 answered, 0 waiting, 0 no response"
    )
    shot(page, "counselor-client-page")
    page.goto("/caseload/")
    expect(page.get_by_test_id("caseload-checkins")).to_contain_text("1 answered")

    # The used link now answers with the neutral page.
    phone.goto(link_from_the_code)
    expect(phone.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    check_phone_page(phone, axe_page, "phone-5-neutral")

    # An ending: prepared through the services, the contact choice recorded, closed by the
    # counselor in the browser.
    flow = Workflow(counselor=counselor, supervisor=supervisor, client=person)
    ending = flow.open()
    flow.prepared(ending)
    contact_choice_record(actor=counselor, termination=ending, choice="email")
    flow.ready_to_close(ending)
    page.goto(f"/endings/{ending.pk}/")
    page.get_by_role("button", name="Close the ending").click()
    expect(page.get_by_test_id("follow-up-timeline")).to_be_visible()
    ending = flow.refresh(ending)
    assert ending.state == TerminationState.CLOSED

    # The first follow-up's day: sent by email (its link read from the message).
    first_watch = WatchCheckIn.objects.filter(termination=ending).first()
    mail.outbox.clear()
    relapse_watch_send(watch_id=first_watch.pk)
    from sessions_app.checkins.services import checkin_deliver_email

    checkin_deliver_email(checkin_id=WatchCheckIn.objects.get(pk=first_watch.pk).checkin_id)
    link = re.search(r"https?://\S+/c/[A-Za-z0-9_-]+/", mail.outbox[-1].body).group(0)
    phone.goto(link)
    expect(phone.get_by_text("1 of 2")).to_be_visible()
    high = ["3"] * 4 + ["2"] * 4 + ["0"]
    answer_phq9(phone, high)
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text("2 of 2")).to_be_visible()
    choose(phone, "Compared with when counseling ended", "worse")
    choose(phone, "Would you like to talk with us again?", "yes")
    phone.get_by_label("Anything you would like us to know? (optional)").fill(
        "The low mood came back after the winter."
    )
    check_phone_page(phone, axe_page, "phone-6-follow-up-questions")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you, Noor")).to_be_visible()

    signal = RelapseSignal.objects.get(termination=ending)
    assert {entry["reason"] for entry in signal.reasons} == {
        "cutoff",
        "deterioration",
        "wants_to_talk",
    }

    # The counselor sees the signal in the ending and offers a booster session from it.
    page.goto(f"/endings/{ending.pk}/")
    expect(page.get_by_test_id("relapse-signal")).to_contain_text("Relapse signal")
    expect(page.get_by_test_id("follow-up-timeline")).to_contain_text("PHQ-9 3 → 20")
    shot(page, "counselor-relapse-signal")
    page.get_by_role("link", name="Offer a booster session or reopen").click()
    page.get_by_label("Booster session offered").check()
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=5)).astimezone(
        counselor_zone(counselor)
    )
    page.get_by_label("Booster session starts").fill(starts.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="Do it").click()
    expect(page.get_by_text("Record reopened and booster session scheduled.")).to_be_visible()
    ending = flow.refresh(ending)
    assert (ending.state, ending.reopen_reason) == (TerminationState.REOPENED, "relapse")
    booster = CounselingSession.objects.get(client=person, kind=SessionKind.BOOSTER)
    assert booster.status == "scheduled"


def counselor_zone(counselor):
    import zoneinfo

    return zoneinfo.ZoneInfo(counselor.time_zone)


def test_item_nine_shows_the_crisis_resources_on_the_phone_at_once(
    phone: Page, axe_page: Page, demo_staff
):
    from sessions_app.checkins.services import checkin_send, checkin_show_in_room

    counselor = demo_staff["counselor"]
    person = ClientFactory(primary_counselor=counselor, legal_first_name="Sami")
    checkin = checkin_send(
        actor=counselor,
        client=person,
        instruments=[instrument("PHQ-9"), instrument("GAD-7")],
        channel="in_room",
    )
    raw, _code = checkin_show_in_room(actor=counselor, checkin=checkin)
    phone.goto(f"/c/{raw}/")
    answer_phq9(phone, ["1"] * 8 + ["1"])
    phone.get_by_role("button", name="Next").click()
    crisis = phone.get_by_role("alert").filter(has_text="please reach out now")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("988")
    expect(phone.get_by_text("2 of 2")).to_be_visible()
    check_phone_page(phone, axe_page, "phone-7-crisis-resources")
