"""Reads for the document pages: every version of a client's documents, and the panel the
workspace and the client page show. Each takes a fixed number of queries."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination import dates
from termination.documents.contexts import SLUG_OF_KIND
from termination.models import Document, DocumentKind, EndingKind, SummaryStatus, Termination
from termination.selectors import relapse_plan_of, summary_of


def documents_of_client(client: Client) -> list[Document]:
    """Every version of every document of the client's endings, newest first, in one query."""
    return list(
        Document.objects.filter(termination__client=client)
        .select_related("termination", "referral__provider", "generated_by")
        .order_by("-termination__opened_at", "kind", "referral_id", "-version")
    )


def document_panel(*, client: Client, viewer: User, termination: Termination | None = None) -> dict:
    """What the workspace and the client page show about documents: the latest version of each,
    and (for the counselor) which documents can be asked for now and why not the others."""
    documents = [
        document
        for document in documents_of_client(client)
        if termination is None or document.termination_id == termination.pk
    ]
    latest: dict[tuple, Document] = {}
    for document in documents:
        latest.setdefault(
            (document.termination_id, document.kind, document.referral_id, document.language),
            document,
        )
    # Documents are asked for from an ending's workspace only, by whoever may edit the record.
    can_request = (
        termination is not None and Client.objects.editable_by(viewer).filter(pk=client.pk).exists()
    )
    if termination is not None:
        mark_out_of_date(termination, list(latest.values()))
    return {
        "latest": list(latest.values()),
        "count": len(documents),
        "can_request": can_request,
        "offers": document_offers(termination) if can_request else [],
    }


def mark_out_of_date(termination: Termination, documents: list[Document]) -> None:
    """Set `changed_dates` on each ready document whose dates no longer agree with the ending's
    (the dates it states were stored when it was produced)."""
    current = dates.ending_dates(termination, PracticePolicy.current(), today=timezone.localdate())
    for document in documents:
        document.changed_dates = (
            dates.changed_dates(
                document.stated_dates,
                dates.document_dates(document.kind, current, document.options),
            )
            if document.is_ready
            else []
        )
        document.new_version_slug = SLUG_OF_KIND[document.kind]


def _offer(kind: str, note: str = "", *, available: bool = True) -> dict:
    return {
        "kind": str(DocumentKind(kind).label),
        "slug": SLUG_OF_KIND[kind],
        "available": available,
        "note": note,
    }


def document_offers(termination: Termination) -> list[dict]:
    """Each kind of document for this ending: whether it can be asked for, and if not, why.
    Uses the ending's prefetched referrals and related rows when the workspace loaded them."""
    summary = summary_of(termination)
    if summary is None:
        summary_offer = _offer(
            DocumentKind.CLOSING_SUMMARY, _("Start the closing summary first."), available=False
        )
    elif summary.status == SummaryStatus.DRAFT:
        summary_offer = _offer(
            DocumentKind.CLOSING_SUMMARY, _("Draft: printed without a signature.")
        )
    else:
        summary_offer = _offer(DocumentKind.CLOSING_SUMMARY)
    has_plan = relapse_plan_of(termination) is not None
    has_referrals = bool(list(termination.referrals.all()))
    offers = [
        summary_offer,
        _offer(
            DocumentKind.AFTERCARE_LETTER,
            "" if has_plan else _("Write the relapse plan first."),
            available=has_plan,
        ),
        _offer(
            DocumentKind.REFERRAL_LETTER,
            "" if has_referrals else _("Add a referral first."),
            available=has_referrals,
        ),
    ]
    if termination.kind == EndingKind.UNPLANNED:
        may_write = termination.client.may_write
        offers.append(
            _offer(
                DocumentKind.CLOSING_LETTER,
                ""
                if may_write
                else _(
                    "The client has not agreed to letters: no closing letter is produced. "
                    "Record what was done instead in the closing letter step."
                ),
                available=may_write,
            )
        )
    return offers


def endings_with_offers(client: Client, viewer: User) -> list[dict]:
    """For the counselor: each ending of the client with the documents it can produce now."""
    if not Client.objects.editable_by(viewer).filter(pk=client.pk).exists():
        return []
    endings = (
        Termination.objects.filter(client=client)
        .select_related("client", "summary", "relapse_plan")
        .prefetch_related("referrals")
    )
    return [{"termination": ending, "offers": document_offers(ending)} for ending in endings]
