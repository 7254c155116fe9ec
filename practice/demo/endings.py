"""Demo endings in every state, written through the termination services.

Runs after the clinical demo data and only when no ending exists yet, so it is idempotent. Each
demo supervisor gets a closing summary to approve; one planned ending has an overdue summary;
one silent client gets an unplanned ending and others stay silent for the caseload flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import translation

from clients.models import Client, ClientStatus, ConsentKind
from clients.selectors import is_silent
from practice.caseload.selectors import with_caseload_facts
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination import services
from termination.documents.services import document_request
from termination.models import DocumentKind, Provider, Termination

PROVIDERS = [
    (
        "Dr. Tobias Klein",
        "Mount Royal Psychiatry Associates",
        "Psychiatric assessment and medication",
        "4100, avenue du Parc, Montréal (Québec)  H2V 4E6",
        "(514) 555-0181",
        "intake@prairiepsych.example.test",
    ),
    (
        "Dr. Amal Haddad",
        "Eastside Community Clinic",
        "Depression and anxiety; evening hours",
        "880, rue Ontario Est, Montréal (Québec)  H2L 1P1",
        "(514) 555-0190",
        "referrals@eastside.example.test",
    ),
    (
        "Lakeview Intensive Outpatient Program",
        "Lakeview Hospital",
        "Intensive outpatient treatment (3 evenings a week)",
        "1, place du Lac, Montréal (Québec)  H3A 2K6",
        "(514) 555-0177",
        "iop@lakeview.example.test",
    ),
    (
        "Grief Support Circle",
        "Maison de soins palliatifs de Montréal",
        "Bereavement groups (in French and English)",
        "200, rue Sherbrooke Est, Montréal (Québec)  H2X 1C9",
        "(514) 555-0166",
        "",
    ),
    (
        "Jordan Ellis, LMFT",
        "Ellis Couples Therapy",
        "Couples and family therapy",
        "55, rue Peel, Montréal (Québec)  H3C 2G3",
        "(514) 555-0123",
        "office@ellis.example.test",
    ),
    (
        "Sunrise Recovery Center",
        "",
        "Substance use treatment",
        "900, boulevard Saint-Martin Ouest, Laval (Québec)",
        "(450) 555-0150",
        "admissions@sunrise.example.test",
    ),
]

RELAPSE_PLAN = {
    "warning_signs": "Staying in bed past ten; skipping meals; not answering friends' messages.",
    "triggers": "The anniversary in March; long stretches without work; winter evenings.",
    "coping_steps": [
        {"sign": "Staying in bed", "step": "Up by nine and a ten-minute walk before breakfast."},
        {
            "sign": "Not answering messages",
            "step": "Reply to one person the same day, even briefly.",
        },
    ],
    "support_contacts": [{"name": "Lena", "relation": "Sister", "phone": "(514) 555-0102"}],
    "when_to_come_back": "If low mood lasts two weeks, or sleep goes for more than a week.",
}


# What Geneviève Tremblay writes, in French, for her client's planned ending.
RELAPSE_PLAN_FR = {
    "warning_signs": "Rester au lit après dix heures; sauter des repas; ne plus répondre aux "
    "messages des amis.",
    "triggers": "L'anniversaire du décès en mars; les longues périodes sans travail; les soirées "
    "d'hiver.",
    "coping_steps": [
        {
            "sign": "Rester au lit",
            "step": "Debout à neuf heures et dix minutes de marche avant le déjeuner.",
        },
        {
            "sign": "Ne plus répondre aux messages",
            "step": "Répondre à une personne le jour même, même brièvement.",
        },
    ],
    "support_contacts": [{"name": "Julie", "relation": "Sœur", "phone": "(514) 555-0103"}],
    "when_to_come_back": "Si l'humeur reste basse pendant deux semaines, ou si le sommeil se "
    "dérègle plus d'une semaine.",
}
SUMMARY_FR = {
    "condition_at_ending": "Humeur stable depuis six semaines; dort de six à sept heures par nuit.",
    "recommendations": "Garder la routine du matin et la marche hebdomadaire avec une amie; "
    "revenir si l'humeur reste basse deux semaines.",
}


@dataclass(frozen=True)
class Plan:
    counselor: str
    state: str
    kind: str = "planned"


def seed_endings(staff: dict[str, User], today: dt.date) -> int | None:
    """Create the demo endings; None (and nothing written) if any ending exists already."""
    if Termination.objects.exists():
        return None
    providers = seed_providers()
    policy = PracticePolicy.current()
    picker = ClientPicker(policy)
    supervisor, supervisor2 = staff["supervisor"], staff["supervisor2"]
    counselor, counselor2, counselor4 = staff["counselor"], staff["counselor2"], staff["counselor4"]

    planned_to_summary(
        counselor,
        picker.next(counselor),
        today,
        "Sleeps through most nights and manages worry with the skills practised.",
    )
    planned_to_summary(
        counselor4,
        picker.next(counselor4),
        today,
        "Moving to Toronto for work.",
        reason="relocation",
        provider=providers[1],
    )
    ready = planned_to_summary(
        counselor2,
        picker.next(counselor2),
        today,
        "Back at work full time; the panic attacks have stopped.",
    )
    services.termination_summary_approve(actor=supervisor, termination=ready)

    # A closed ending's final session is the client's last attended one, so its dates agree.
    closing_client = picker.next(counselor)
    final_days_ago = days_since_last_attended(closing_client, today)
    closed = planned_to_summary(
        counselor,
        closing_client,
        today,
        "Mood stable for three months; ready to carry on alone.",
        raised_days_ago=final_days_ago + 25,
        final_days_ago=final_days_ago,
    )
    services.termination_summary_approve(actor=supervisor, termination=closed)
    services.termination_close(actor=counselor, termination=closed)

    # In French: Geneviève Tremblay's client corresponds in French, so the after-care letter is
    # in French; she writes the closing summary in French too.
    # What she does is written in her language, as her pages are.
    counselor7 = staff["counselor7"]
    french_client = picker.next(counselor7)
    final_days_ago = days_since_last_attended(french_client, today)
    with translation.override(counselor7.language):
        french = planned_to_summary(
            counselor7,
            french_client,
            today,
            "Humeur stable depuis trois mois; prête à poursuivre seule.",
            raised_days_ago=final_days_ago + 25,
            final_days_ago=final_days_ago,
            relapse_plan=RELAPSE_PLAN_FR,
            summary=SUMMARY_FR,
        )
        services.termination_summary_approve(actor=supervisor2, termination=french)
        services.termination_close(actor=counselor7, termination=french)
        for kind in (DocumentKind.CLOSING_SUMMARY, DocumentKind.AFTERCARE_LETTER):
            document_request(actor=counselor7, termination=french, kind=kind, language="fr")

    reopening_client = picker.next(counselor4)
    final_days_ago = days_since_last_attended(reopening_client, today)
    reopened = planned_to_summary(
        counselor4,
        reopening_client,
        today,
        "Grief feels bearable again; reconnected with friends.",
        raised_days_ago=final_days_ago + 25,
        final_days_ago=final_days_ago,
    )
    services.termination_summary_approve(actor=supervisor2, termination=reopened)
    services.termination_close(actor=counselor4, termination=reopened)
    services.termination_reopen(
        actor=counselor4,
        termination=reopened,
        reason="Returned after a bereavement; wants a few more sessions.",
    )

    # An overdue summary: the final session was three weeks ago and nothing is signed.
    overdue = open_ending(counselor, picker.next(counselor), "both")
    record_notice(counselor, overdue, today, raised_days_ago=45, final_days_ago=21)
    services.termination_record_reasons(
        actor=counselor,
        termination=overdue,
        reason="goals_met",
        narrative="Panic attacks stopped; back to commuting by bus.",
    )

    # Just started: notice only.
    started = open_ending(counselor2, picker.next(counselor2), "client")
    record_notice(counselor2, started, today, raised_days_ago=2, final_days_ago=-28)

    withdrawn = open_ending(counselor2, picker.next(counselor2), "client")
    services.termination_withdraw(
        actor=counselor2, termination=withdrawn, reason="Decided to continue through the winter."
    )

    # A referral with a valid release of information: the client's release names Dr. Klein.
    higher_care = picker.with_release("Dr. Tobias Klein")
    if higher_care is not None:
        planned_to_summary(
            higher_care.primary_counselor,
            higher_care,
            today,
            "Needs a psychiatric assessment beyond our scope.",
            reason="scope",
            provider=providers[0],
            sign=False,
        )

    # Unplanned: the first silent client of counselor6 (supervisor2's supervisee), outreach begun.
    silent = picker.silent(staff["counselor6"])
    if silent is not None:
        unplanned = open_ending(staff["counselor6"], silent, "client", kind="unplanned")
        services.termination_record_notice(
            actor=staff["counselor6"],
            termination=unplanned,
            raised_on=today,
            initiated_by="practice",
            final_session_on=None,
        )
        services.termination_log_outreach(
            actor=staff["counselor6"],
            termination=unplanned,
            attempted_on=today,
            channel="phone",
            outcome="message_left",
            note="Left a voicemail inviting a call back.",
        )
    return Termination.objects.count()


def days_since_last_attended(client: Client, today: dt.date) -> int:
    last = (
        client.sessions.filter(status="attended")
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return (today - last.date()).days if last else 30


def seed_providers() -> list[Provider]:
    return [
        Provider.objects.get_or_create(
            name=name,
            defaults={
                "organisation": organisation,
                "specialty": specialty,
                "address": address,
                "phone": phone,
                "email": email,
            },
        )[0]
        for name, organisation, specialty, address, phone, email in PROVIDERS
    ]


class ClientPicker:
    """Hands out distinct active, non-silent clients per counselor (silent ones on request)."""

    def __init__(self, policy: PracticePolicy):
        self.policy = policy
        self.used: set[int] = set()

    def _candidates(self, counselor: User) -> Iterator[Client]:
        clients = Client.objects.filter(primary_counselor=counselor, status=ClientStatus.ACTIVE)
        return iter(with_caseload_facts(clients, self.policy, _now()).order_by("pk"))

    def _silent(self, client: Client) -> bool:
        return is_silent(
            last_session_at=client.last_session_at,
            next_session_at=client.next_session_at,
            intake_date=client.intake_date,
            policy=self.policy,
            now=_now(),
        )

    def next(self, counselor: User) -> Client:
        for client in self._candidates(counselor):
            if client.pk not in self.used and not self._silent(client):
                self.used.add(client.pk)
                return client
        raise LookupError(f"{counselor} has no more clients for the demo endings")

    def silent(self, counselor: User) -> Client | None:
        for client in self._candidates(counselor):
            if client.pk not in self.used and self._silent(client):
                self.used.add(client.pk)
                return client
        return None

    def with_release(self, recipient_name: str) -> Client | None:
        client = (
            Client.objects.filter(
                status=ClientStatus.ACTIVE,
                consents__kind=ConsentKind.RELEASE,
                consents__recipient_name=recipient_name,
                consents__revoked_on__isnull=True,
            )
            .exclude(pk__in=self.used)
            .first()
        )
        if client is not None:
            self.used.add(client.pk)
        return client


def _now() -> dt.datetime:
    return dt.datetime.now(tz=ZoneInfo("UTC"))


def open_ending(
    counselor: User, client: Client, initiated_by: str, kind: str = "planned"
) -> Termination:
    return services.termination_open(
        actor=counselor, client=client, kind=kind, initiated_by=initiated_by
    )


def record_notice(
    counselor: User,
    ending: Termination,
    today: dt.date,
    *,
    raised_days_ago: int,
    final_days_ago: int,
) -> None:
    services.termination_record_notice(
        actor=counselor,
        termination=ending,
        raised_on=today - dt.timedelta(days=raised_days_ago),
        initiated_by=ending.initiated_by,
        final_session_on=today - dt.timedelta(days=final_days_ago),
        more_help_needed="no",
        counseling_helped="a_lot",
        break_kind="permanent",
        client_view="Feels ready to carry on with what we practised.",
    )


def planned_to_summary(
    counselor: User,
    client: Client,
    today: dt.date,
    narrative: str,
    *,
    reason: str = "goals_met",
    provider: Provider | None = None,
    raised_days_ago: int = 20,
    final_days_ago: int = -7,
    sign: bool = True,
    relapse_plan: dict | None = None,
    summary: dict | None = None,
) -> Termination:
    """A planned ending walked to a signed summary (awaiting the supervisor's approval)."""
    ending = open_ending(counselor, client, "both")
    record_notice(
        counselor, ending, today, raised_days_ago=raised_days_ago, final_days_ago=final_days_ago
    )
    short_of_goals = reason != "goals_met"
    services.termination_record_reasons(
        actor=counselor,
        termination=ending,
        reason=reason,
        narrative=narrative,
        barriers="The move comes before the work on sleep was finished." if short_of_goals else "",
        feelings_about_future_help="Open to seeing someone near the new home."
        if short_of_goals
        else "",
    )
    if provider is not None:
        services.termination_add_referral(
            actor=counselor,
            termination=ending,
            provider=provider,
            reason="Continuity of care after the ending.",
        )
    services.termination_record_relapse_plan(
        actor=counselor,
        termination=ending,
        crisis_lines=PracticePolicy.current().text_in("crisis_resources", client.language),
        **(relapse_plan or RELAPSE_PLAN),
    )
    services.termination_summary_save(
        actor=counselor,
        termination=ending,
        **(
            summary
            or {
                "condition_at_ending": "Mood stable over the last six weeks; sleeping six to "
                "seven hours.",
                "recommendations": "Keep the morning routine and the weekly walk with a "
                "friend; come back if low mood lasts two weeks.",
            }
        ),
        # Each goal still active gets its outcome (it becomes the goal's status at close).
        goal_outcomes={
            str(goal.pk): "met" if index == 0 and not short_of_goals else "partly_met"
            for index, goal in enumerate(client.goals.filter(status="active").order_by("pk"))
        },
    )
    if sign:
        services.termination_summary_sign(actor=counselor, termination=ending)
    return ending
