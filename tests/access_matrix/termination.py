import datetime as dt

from django.utils import timezone

from termination.models import FollowUp, Provider, Termination, TerminationState
from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory

OWNER = frozenset({"owner"})
READERS = frozenset({"owner", "supervisor"})
COUNSELORS_AND_ADMIN = frozenset({"owner", "colleague", "practice_admin"})


def ending(owner, state: str = TerminationState.PREPARING) -> Termination:
    client = ClientFactory(primary_counselor=owner)
    return Termination.objects.create(
        client=client, kind="planned", initiated_by="client", opened_by=owner, state=state
    )


def ending_pk(owner, **_) -> dict:
    return {"pk": ending(owner).pk}


def awaiting_approval_pk(owner, **_) -> dict:
    return {"pk": ending(owner, TerminationState.AWAITING_APPROVAL).pk}


def closed_pk(owner, **_) -> dict:
    return {"pk": ending(owner, TerminationState.CLOSED).pk}


def follow_up_kwargs(owner, **_) -> dict:
    termination = ending(owner, TerminationState.CLOSED)
    item = FollowUp.objects.create(
        termination=termination, offset_days=30, due_on=timezone.localdate() + dt.timedelta(days=30)
    )
    return {"pk": termination.pk, "follow_up_pk": item.pk}


def client_kwargs(owner, **_) -> dict:
    return {"client_pk": ClientFactory(primary_counselor=owner).pk}


def provider_kwargs(**_) -> dict:
    return {"pk": Provider.objects.create(name="Dr. Ruth Okoye", specialty="Psychiatry").pk}


def departing_counselor(owner, **_) -> dict:
    ClientFactory(primary_counselor=owner)
    return {"user_pk": owner.pk}


ROLE_PAGES: dict[str, set[str]] = {
    "provider_list": {"owner", "colleague", "supervisor", "practice_admin"},
    "provider_create": {"owner", "colleague", "practice_admin"},
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("termination_open", client_kwargs, OWNER),  # supervisors read, never start
    ObjectUrl("termination_workspace", ending_pk, READERS),
    *[
        ObjectUrl(name, ending_pk, OWNER)
        for name in (
            "termination_notice",
            "termination_reasons",
            "termination_referral",
            "termination_relapse_plan",
            "termination_tapering",
            "termination_outreach",
            "termination_closing_letter",
            "termination_summary",
        )
    ],
    ObjectUrl("termination_close", ending_pk, OWNER, method="post"),
    ObjectUrl("termination_withdraw", ending_pk, OWNER, method="post"),
    ObjectUrl("termination_reopen", closed_pk, OWNER, method="post"),  # supervisors never reopen
    ObjectUrl("termination_follow_up", follow_up_kwargs, OWNER),
    ObjectUrl(
        "termination_summary_approve",
        awaiting_approval_pk,
        frozenset({"supervisor"}),
        method="post",
    ),
    ObjectUrl(
        "termination_summary_return", awaiting_approval_pk, frozenset({"supervisor"}), method="post"
    ),
    ObjectUrl("termination_summary_addendum", awaiting_approval_pk, OWNER, method="post"),
    ObjectUrl("provider_edit", provider_kwargs, COUNSELORS_AND_ADMIN),
    ObjectUrl(
        "counselor_departure", departing_counselor, frozenset({"supervisor", "practice_admin"})
    ),
]
