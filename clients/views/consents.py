"""Recording and revoking consents, and checking whether a disclosure is covered."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from clients.access import client_for_changing, client_for_reading
from clients.forms import (
    ConsentForm,
    ConsentKindQueryForm,
    DisclosureCheckForm,
    RevokeConsentForm,
)
from clients.models import ConsentKind
from clients.services import consent_record, consent_revoke, disclosure_allowed
from clients.views.records import run_service
from practice.formats import when
from practice.forms import read_query

CONSENT_INTROS = {
    ConsentKind.TREATMENT: gettext_lazy("The client's informed consent to counseling."),
    ConsentKind.RELEASE: gettext_lazy(
        "What the client allows you to share, with whom and why. Nothing is sent to a "
        "recipient without a valid release that names them and covers the information."
    ),
    ConsentKind.ELECTRONIC: gettext_lazy(
        "The client's agreement to communicate by email, text or video."
    ),
}


def _consents_url(client_pk: int) -> str:
    return reverse("client_detail", args=[client_pk]) + "#consents"


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="consents")
    kind = read_query(request, ConsentKindQueryForm).values["kind"]
    if not kind:
        return render(
            request,
            "clients/consent_kind.html",
            {
                "client": client,
                "kinds": [(kind.value, kind.label, CONSENT_INTROS[kind]) for kind in ConsentKind],
            },
        )
    kind = ConsentKind(kind)
    form = ConsentForm(request.POST or None, kind=kind, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        consent = run_service(
            form,
            partial(
                consent_record,
                actor=request.user,
                client=client,
                kind=kind,
                request=request,
                **form.service_values(),
            ),
        )
        if consent is not None:
            messages.success(request, _("%(consent)s recorded.") % {"consent": consent})
            return redirect(_consents_url(client.pk))
    return render(
        request,
        "clients/consent_form.html",
        {
            "form": form,
            "client": client,
            "kind": kind,
            "title": _("%(kind)s for %(client)s")
            % {"kind": kind.label, "client": client.display_name},
            "intro": CONSENT_INTROS[kind],
            "cancel_url": _consents_url(client.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_revoke_view(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="a consent")
    consent = get_object_or_404(client.consents, pk=consent_pk)
    form = RevokeConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revoked = run_service(
            form,
            partial(
                consent_revoke,
                actor=request.user,
                consent=consent,
                revoked_on=form.cleaned_data["revoked_on"],
                request=request,
            ),
        )
        if revoked is not None:
            messages.success(
                request,
                _("%(consent)s is revoked from %(date)s.")
                % {"consent": consent, "date": when(revoked.revoked_on, "date")},
            )
            return redirect(_consents_url(client.pk))
    return render(
        request,
        "clients/record_form.html",
        {
            "form": form,
            "client": client,
            "title": _("Revoke: %(consent)s") % {"consent": consent},
            "intro": _(
                "Signed %(date)s. Once revoked, nothing more may be shared under this consent "
                "from that day. The consent stays in the record."
            )
            % {"date": when(consent.signed_on, "date")},
            "submit_label": _("Revoke the consent"),
            "submit_class": "btn-danger",
            "cancel_url": _consents_url(client.pk),
        },
    )


@login_required
@require_GET
def disclosure_check(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_reading(request, pk, what="a disclosure check")
    form = DisclosureCheckForm(request.GET or None)
    answer = None
    if form.is_valid():
        answer = disclosure_allowed(
            client=client,
            recipient_name=form.cleaned_data["recipient"],
            recipient_organisation=form.cleaned_data["organisation"],
            information=form.cleaned_data["information"],
        )
    return render(
        request,
        "clients/disclosure_check.html",
        {"form": form, "client": client, "answer": answer},
    )
