"""The demo's story, decided before anything is written: who each client is, when they come,
how their measures move and what their notes say. Pure functions of a random.Random.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from practice.demo import content
from practice.demo.content import CASELOADS, PROFILES, Profile
from sessions_app.models import Modality
from sessions_app.models.notes import RiskLevel

if TYPE_CHECKING:
    from clients.models import Client
    from sessions_app.models import CounselingSession, Instrument

HOURS = range(9, 17)  # individual sessions start on the hour, 9:00 to 16:00
RELEASES = 13  # adults with a release of information (the minors add two more)


@dataclass
class Case:
    """One client as planned before anything is written."""

    counselor: str
    profile: Profile
    tags: set[str]
    values: dict  # for client_create
    weekday: int
    hour: int
    every_days: int
    modality: str
    trend: str  # improving, unchanged, recovered, deteriorating
    electronic_consent: bool
    is_minor: bool = False
    parent: str = ""
    release: tuple | None = None
    release_fate: str = ""  # "", "expired" or "revoked"
    client: Client | None = None
    meeting_days: list[dt.date] = field(default_factory=list)
    attended: list[Visit] = field(default_factory=list)


@dataclass
class Visit:
    session: CounselingSession
    day: dt.date
    alliance: int | None = None
    outcome: int | None = None


# Who the clients are ------------------------------------------------------------------------


def plan_cases(rng: random.Random, today: dt.date) -> list[Case]:
    adults = list(content.ADULT_NAMES)
    rng.shuffle(adults)
    minors = {key: (names, age) for names, age, key in content.MINORS}
    french = list(content.FRENCH_CLIENTS)
    cases = []
    for username, lines in CASELOADS.items():
        slots = [(weekday, hour) for weekday in range(5) for hour in HOURS]
        rng.shuffle(slots)
        for line in lines:
            key, *tags = line.split()
            profile = PROFILES[key]
            if key in minors:
                names, age = minors[key]
            elif username in content.FRENCH_CASELOADS:
                names, age = french.pop(0), None
                concern, goals = content.FRENCH_PROFILES[key]
                profile = dataclasses.replace(profile, concern=concern, goals=goals)
            else:
                names = _take_name(adults, she_only=key == "postnatal")
                age = None
            cases.append(
                _plan_case(rng, today, username, profile, set(tags), names, age, slots.pop())
            )
    _plan_releases(rng, cases)
    return cases


def _take_name(names: list[tuple], she_only: bool) -> tuple:
    index = next(i for i, name in enumerate(names) if not she_only or name[3] == "she/her")
    return names.pop(index)


def _plan_case(
    rng: random.Random,
    today: dt.date,
    counselor: str,
    profile: Profile,
    tags: set[str],
    names: tuple,
    minor_age: int | None,
    slot: tuple[int, int],
) -> Case:
    first, last, preferred, pronouns = names
    weekday, hour = slot
    if "recovered" in tags:
        days_ago = rng.randint(160, 175)
    elif "deteriorating" in tags or "silent" in tags:
        days_ago = rng.randint(100, 160)
    elif tags & {"dip", "past_dip", "returned"}:
        days_ago = rng.randint(60, 170)
    else:
        days_ago = rng.randint(30, 150)
    intake = today - dt.timedelta(days=days_ago)
    intake -= dt.timedelta(days=(intake.weekday() - weekday) % 7)
    while is_closed_day(intake):
        intake -= dt.timedelta(days=7)
    if minor_age is not None:
        born = _years_before(today, minor_age) - dt.timedelta(days=rng.randint(20, 330))
    else:
        born = _years_before(today, rng.randint(19, 68)) - dt.timedelta(days=rng.randint(0, 364))
    email = "" if rng.random() < 0.08 else f"{_ascii(first)}.{_ascii(last)}@example.test"
    has_address = rng.random() < 0.85
    electronic = bool(email) and rng.random() < 0.85
    family = minor_age is not None or rng.random() < 0.6
    contact_last = last if family else rng.choice(content.CONTACT_LAST_NAMES)
    relationship = (
        rng.choice(["Mother", "Father"])
        if minor_age is not None
        else rng.choice(content.FAMILY if family else content.NOT_FAMILY)
    )
    contact_name = f"{rng.choice(content.EMERGENCY_FIRST_NAMES)} {contact_last}"
    if "deteriorating" in tags:
        trend = "deteriorating"
    elif "recovered" in tags:
        trend = "recovered"
    else:
        trend = "unchanged" if rng.random() < 0.1 else "improving"
    values = {
        "legal_first_name": first,
        "legal_last_name": last,
        "preferred_name": preferred,
        "pronouns": pronouns,
        "date_of_birth": born,
        "email": email,
        "phone": _phone(rng),
        "address": (
            f"{rng.randint(12, 2900)}, {rng.choice(content.STREETS)}\n"
            f"Montréal (Québec)  H2{rng.choice('HJKTVX')} {rng.randint(1, 9)}"
            f"{rng.choice('ABCEGHJ')}{rng.randint(1, 9)}"
            if has_address
            else ""
        ),
        "emergency_contact_name": contact_name,
        "emergency_contact_relationship": relationship,
        "emergency_contact_phone": _phone(rng),
        "may_write": has_address and rng.random() < 0.6,
        "may_email": electronic and rng.random() < 0.9,
        "presenting_concerns": profile.concern,
        "intake_date": intake,
        "language": "fr" if counselor in content.FRENCH_CASELOADS else "en",
    }
    return Case(
        counselor=counselor,
        profile=profile,
        tags=tags,
        values=values,
        weekday=weekday,
        hour=hour,
        every_days=7 if trend != "unchanged" and rng.random() < 0.65 else 14,
        modality=rng.choices(
            [Modality.IN_PERSON, Modality.VIDEO, Modality.PHONE], weights=[55, 35, 10]
        )[0],
        trend=trend,
        electronic_consent=electronic,
        is_minor=minor_age is not None,
        parent=contact_name if minor_age is not None else "",
    )


def _plan_releases(rng: random.Random, cases: list[Case]) -> None:
    """About fifteen releases: two minors' schools, the rest to doctors and an EAP; one of
    them expired and one revoked."""
    for case in [case for case in cases if case.is_minor][:2]:
        case.release = content.SCHOOL_RECIPIENT
    adults = [case for case in cases if not case.is_minor and "silent" not in case.tags]
    chosen = rng.sample(adults, RELEASES)
    for index, case in enumerate(chosen):
        case.release = content.RELEASE_RECIPIENTS[index % len(content.RELEASE_RECIPIENTS)]
    old = sorted(chosen, key=lambda case: case.values["intake_date"])
    old[0].release, old[0].release_fate = content.RELEASE_RECIPIENTS[3], "expired"
    old[1].release, old[1].release_fate = content.RELEASE_RECIPIENTS[0], "revoked"


def is_closed_day(day: dt.date) -> bool:
    """Weekends and the Québec statutory holidays the Montréal demo practice closes for.

    Easter (Good Friday or Easter Monday, the employer's choice) is left out: its date needs
    a calendar computation the demo has no other use for.
    """
    if day.weekday() >= 5:
        return True
    fixed = {(1, 1), (6, 24), (7, 1), (12, 25)}
    nth_monday = (day.day - 1) // 7 + 1 if day.weekday() == 0 else 0
    return (
        (day.month, day.day) in fixed
        or (day.month == 5 and day.weekday() == 0 and 18 <= day.day <= 24)  # Patriotes
        or (day.month == 9 and nth_monday == 1)  # Fête du Travail
        or (day.month == 10 and nth_monday == 2)  # Action de grâce
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


ASCII_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "'": ""})


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower().translate(ASCII_EXTRA))
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def _phone(rng: random.Random) -> str:
    # 555-0100 to 555-0199 are reserved for fiction in North America.
    return f"({rng.choice(content.AREA_CODES)}) 555-01{rng.randint(0, 99):02d}"


# Measures ----------------------------------------------------------------------------------


def plan_measures(rng: random.Random, case: Case) -> None:
    """Decide the alliance and outcome totals of each attended session, in order."""
    visits = case.attended
    alliance_at = [
        index for index, _ in enumerate(visits) if index == len(visits) - 1 or rng.random() < 0.85
    ]
    dips = set()
    if "dip" in case.tags:
        dips.add(len(alliance_at) - 1)
    if "past_dip" in case.tags and len(alliance_at) >= 5:
        dips.add(len(alliance_at) * 3 // 5)
    totals = _alliance_totals(rng, case, len(alliance_at), dips)
    for index, total in zip(alliance_at, totals, strict=True):
        visits[index].alliance = total
    gap, since = rng.randint(2, 3), 0
    start, end, cutoff = _outcome_range(rng, case)
    intake = case.values["intake_date"]
    for index, visit in enumerate(visits):
        since += 1
        if index > 0 and since < gap:
            continue
        gap, since = rng.randint(2, 3), 0
        # Most change comes early in counseling: a concave curve, complete after nine weeks;
        # the client who recovers does so steadily over four months.
        weeks = (visit.day - intake).days / 7
        progress = min(1.0, weeks / 16 if case.trend == "recovered" else (weeks / 9) ** 0.5)
        value = round(start + (end - start) * progress) + (rng.choice((-1, 0, 1)) if index else 0)
        if case.trend != "recovered":
            value = max(value, cutoff)
        visit.outcome = max(0, value)


def _alliance_totals(rng: random.Random, case: Case, count: int, dips: set[int]) -> list[int]:
    """The alliance check-in (0-40) rises slowly; a dip falls by 6 or more below the cutoff of
    30, so rating_record raises an alert; after a dip it climbs back. A deteriorating client's
    alliance slides under the cutoff."""
    if case.trend == "deteriorating":
        start, end = 33, 25
    else:
        start, end = rng.randint(30, 33), rng.randint(35, 39)
    totals: list[int] = []
    for index in range(count):
        value = round(start + (end - start) * index / max(count - 1, 1)) + rng.choice((-1, 0, 1))
        if totals:
            previous = totals[-1]
            if index in dips:
                value = min(previous - rng.randint(6, 8), 29)
            else:
                value = max(min(value, previous + 3), previous - 3)
        if case.trend != "deteriorating" and index not in dips:
            value = max(value, 30)
        totals.append(min(40, max(0, value)))
    return totals


def _outcome_range(rng: random.Random, case: Case) -> tuple[int, int, int]:
    phq = case.profile.instrument == "PHQ-9"
    cutoff, reliable = (10, 6) if phq else (8, 4)
    if case.trend == "recovered":
        return (17, 4, cutoff) if phq else (14, 3, cutoff)
    if case.trend == "deteriorating":
        return (12, 21, cutoff) if phq else (9, 17, cutoff)
    # Far enough above the cutoff that a reliable improvement need not cross it: only the one
    # client meant to recover is classified "recovered".
    start = rng.randint(18, 22) if phq else rng.randint(14, 17)
    if case.trend == "unchanged":
        return start, start + rng.randint(-2, 1), cutoff
    return start, max(cutoff, start - reliable - rng.randint(2, 4)), cutoff


def item_answers(rng: random.Random, instrument: Instrument, total: int, **fixed: int) -> dict:
    """Item answers that add up to `total`, spread over the items."""
    answers = {key: fixed.get(key, 0) for key in instrument.item_keys}
    remaining = total - sum(answers.values())
    open_keys = [key for key in instrument.item_keys if key not in fixed]
    while remaining > 0:
        key = rng.choice([key for key in open_keys if answers[key] < instrument.scale_max])
        answers[key] += 1
        remaining -= 1
    return answers


# What the notes say ------------------------------------------------------------------------


def first_name(case: Case) -> str:
    return case.values["preferred_name"] or case.values["legal_first_name"].split()[0]


def note_content(rng: random.Random, case: Case, visit: Visit, position: int) -> dict[str, str]:
    profile = case.profile
    name = first_name(case)
    later = next((day for day in case.meeting_days if day > visit.day), None)
    next_session = (
        f"Next session {later:%A} {later.day} {later:%B}."
        if later
        else f"Next session in {'one week' if case.every_days == 7 else 'two weeks'}."
    )
    measure = f" {profile.instrument} today {visit.outcome}." if visit.outcome is not None else ""
    if position == 0:
        goals = "; ".join(goal for goal, _ in profile.goals[:2])
        return {
            "data": (
                f"Intake assessment. {name} described: {profile.concern} History, current "
                "supports and risk were reviewed; consent to treatment signed."
            ),
            "assessment": (
                "Presentation fits the concern described; motivated to engage."
                f"{measure} No current risk indicated."
            ),
            "plan": (
                f"{'Weekly' if case.every_days == 7 else 'Fortnightly'} sessions. "
                f"Working goals: {goals}. {next_session}"
            ),
            "risk_level": RiskLevel.NONE,
            "risk_notes": "",
        }
    at_risk = case.trend == "deteriorating" and (visit.outcome or 0) >= 17
    dipped = visit.alliance is not None and visit.alliance < 30
    alliance_line = rng.choice(content.ALLIANCE_LINES["dip" if dipped else "good"])
    return {
        "data": (
            f"{name} {rng.choice(profile.themes)}. "
            f"{rng.choice(content.INTERVENTIONS[profile.work])}. "
            f"{rng.choice(content.OBSERVATIONS)}"
        ),
        "assessment": (
            f"{rng.choice(content.PROGRESS_BY_TREND[case.trend])}{measure} {alliance_line}"
        ),
        "plan": f"{rng.choice(profile.homework)}. {next_session}",
        "risk_level": RiskLevel.LOW if at_risk else RiskLevel.NONE,
        "risk_notes": content.RISK_NOTE if at_risk else "",
    }


def goal_progress_line(rating: int) -> str:
    if rating <= 3:
        return "Early days; first steps taken, not yet regular."
    if rating <= 6:
        return "About halfway: manages it most weeks, harder when stressed."
    if rating <= 8:
        return "Mostly there; keeps it up without reminders."
    return "Reached and kept up for several weeks."
