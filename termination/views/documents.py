"""The documents of an ending: ask for one, see every version, download a PDF; and the
practice admin's letterhead logo. Rendering happens in a task; no page waits for WeasyPrint
except the admin's one-page letterhead preview."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clients.access import client_for_reading
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.documents.pdf import render_pdf
from practice.forms import RowChoiceField, RowMultipleChoiceField, add_service_error
from practice.policy.models import PracticePolicy
from practice.staff.access import role_required
from practice.staff.models import Role
from termination import documents as docs
from termination.access import termination_for_changing
from termination.models import Document, DocumentKind, Provider, Termination

logger = logging.getLogger(__name__)

MAX_LOGO_BYTES = 1024 * 1024
NOT_OFFERED = gettext_lazy(
    "A closing letter is part of an unplanned ending: this ending is planned."
)
MAX_LOGO_PIXELS = 2000


# Forms: they only validate what was typed ------------------------------------------------------


def language_field() -> forms.ChoiceField:
    """The language of a document written for others (summary, referral letter)."""
    return forms.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,  # none posted: the practice's language
        label=gettext_lazy("Language of the document"),
        help_text=gettext_lazy("Each language has its own versions; neither replaces the other."),
    )


class ReferralLetterForm(forms.Form):
    language = language_field()
    referral = RowChoiceField(
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        label=gettext_lazy("Referral"),
        help_text=gettext_lazy(
            "The letter goes to this provider, who must be named in a valid release."
        ),
    )
    sections = forms.MultipleChoiceField(
        required=False,
        choices=[(key, label) for key, (label, _category) in docs.REFERRAL_SECTIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("What the provider should know"),
        help_text=gettext_lazy(
            "Minimum necessary: tick only what this provider needs. Who the client is and "
            "why they are referred are always included."
        ),
    )

    def __init__(self, *args, termination: Termination, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = termination.referrals.select_related("provider")

    def options(self) -> dict:
        return {
            "referral_id": self.cleaned_data["referral"].pk,
            "sections": self.cleaned_data["sections"],
        }


class ClosingLetterForm(forms.Form):
    close_on = forms.DateField(
        label=gettext_lazy("The file closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Give the client time to answer before the file closes."),
    )
    providers = RowMultipleChoiceField(
        queryset=Provider.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Referrals listed in the letter"),
        help_text=gettext_lazy("Each needs a phone number, email or address the client can use."),
    )

    def options(self) -> dict:
        return {
            "close_on": self.cleaned_data["close_on"].isoformat(),
            "provider_ids": [provider.pk for provider in self.cleaned_data["providers"]],
        }


class ConfirmForm(forms.Form):
    def options(self) -> dict:
        return {}


class SummaryForm(ConfirmForm):
    language = language_field()


class LetterheadForm(forms.Form):
    logo = forms.FileField(
        required=False,
        label=gettext_lazy("Logo"),
        help_text=gettext_lazy(
            "PNG or JPEG, at most 1 MB and 2000 × 2000 pixels. Printed at the top left."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove = forms.BooleanField(required=False, label=gettext_lazy("Remove the current logo"))

    def clean_logo(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB: keep the logo under 1 MB.")
                % {"size": floatformat(upload.size / 1024 / 1024, 1)}
            )
        return clean_logo_image(upload.read())

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("logo") and not data.get("remove") and not self.errors:
            raise forms.ValidationError(_("Choose a logo to upload, or tick “Remove”."))
        return data


def clean_logo_image(content: bytes) -> tuple[bytes, str]:
    """The logo as a freshly encoded PNG or JPEG and its extension. Re-encoding keeps only the
    pixels: no metadata and nothing hidden after the image reaches the letterhead."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            width, height = image.size
            if kind not in ("PNG", "JPEG"):
                raise forms.ValidationError(_("Upload a PNG or JPEG image."))
            if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
                raise forms.ValidationError(
                    _(
                        "The image is %(width)s × %(height)s pixels: keep it within "
                        "%(max)s × %(max)s."
                    )
                    % {"width": width, "height": height, "max": MAX_LOGO_PIXELS}
                )
            image.load()
            cleaned = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(cleaned, format="JPEG", quality=92)
            else:
                image.save(cleaned, format="PNG", optimize=True)
    except forms.ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of error for a broken or hostile file
        raise forms.ValidationError(_("That file is not a readable PNG or JPEG image.")) from None
    return cleaned.getvalue(), "jpg" if kind == "JPEG" else "png"


FORMS = {
    DocumentKind.CLOSING_SUMMARY: SummaryForm,
    DocumentKind.AFTERCARE_LETTER: ConfirmForm,
    DocumentKind.REFERRAL_LETTER: ReferralLetterForm,
    DocumentKind.CLOSING_LETTER: ClosingLetterForm,
}


def _form(kind: str, termination: Termination, data=None, initial=None) -> forms.Form:
    form_class = FORMS[kind]
    if form_class is ReferralLetterForm:
        return form_class(data, termination=termination, initial=initial)
    return form_class(data, initial=initial)


def _initial(kind: str, termination: Termination, policy: PracticePolicy) -> dict:
    if kind == DocumentKind.CLOSING_LETTER:
        return {
            "close_on": timezone.localdate()
            + dt.timedelta(days=max(policy.minimum_notice_days, 14)),
            "providers": [referral.provider_id for referral in termination.referrals.all()],
        }
    if kind == DocumentKind.REFERRAL_LETTER:
        first = termination.referrals.first()
        return {"referral": first.pk if first else None, "language": policy.language}
    if kind == DocumentKind.CLOSING_SUMMARY:
        return {"language": policy.language}
    return {}


# Records ------------------------------------------------------------------------------------------


def document_for_reading(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(
        Document.objects.visible_to(request.user).select_related("termination__client"), pk=pk
    )


def document_for_changing(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(
        Document.objects.editable_by(request.user).select_related("termination__client"), pk=pk
    )


# Views ------------------------------------------------------------------------------------------


@login_required
def client_documents(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = client_for_reading(request, client_pk, what="documents")
    return render(
        request,
        "termination/document_list.html",
        {
            "client": client,
            "documents": docs.documents_of_client(client),
            "endings": docs.endings_with_offers(client, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in docs.KIND_SLUGS:
        raise Http404("No such kind of document.")
    kind = docs.KIND_SLUGS[kind]
    termination = termination_for_changing(request, pk, what="a document request")
    policy = PracticePolicy.current()
    form = _form(
        kind,
        termination,
        request.POST if request.method == "POST" else None,
        initial=_initial(kind, termination, policy),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = docs.document_request(
                actor=request.user,
                termination=termination,
                kind=kind,
                options=form.options(),
                language=form.cleaned_data.get("language") or None,
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _requested_message(document))
            return redirect("client_documents", client_pk=termination.client_id)
    slug = docs.SLUG_OF_KIND[kind]
    offers = [item for item in docs.document_offers(termination) if item["slug"] == slug]
    # Only an unplanned ending offers a closing letter.
    offer = offers[0] if offers else {"available": False, "note": NOT_OFFERED}
    return render(
        request,
        "termination/document_new.html",
        {
            "termination": termination,
            "client": termination.client,
            "form": form,
            "kind": kind,
            "kind_label": DocumentKind(kind).label,
            "offer": offer,
            "policy": policy,
        },
    )


def _requested_message(document: Document) -> str:
    name = _("%(kind)s (version %(version)s)") % {
        "kind": document.get_kind_display(),
        "version": document.version,
    }
    if document.is_ready:
        return _("%(name)s is already up to date with the record: download it below.") % {
            "name": name
        }
    return _(
        "%(name)s is being generated. It appears below in a few seconds; reload to see it."
    ) % {"name": name}


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for_reading(request, pk)
    if not document.is_ready:
        raise Http404("This document has no PDF yet.")
    try:
        with document.file.open("rb") as stream:
            content = stream.read()
    except OSError:
        content = b""
    if hashlib.sha256(content).hexdigest() != document.sha256:
        logger.error("Document %s does not match its stored checksum", document.pk)
        messages.error(
            request,
            _(
                "This PDF no longer matches the checksum recorded when it was made, so it is "
                "not sent. Ask for a new version and tell the practice admin."
            ),
        )
        return redirect("client_documents", client_pk=document.termination.client_id)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        obj=document,
        client_id=document.termination.client_id,
        summary=f"Downloaded {document.get_kind_display().lower()} v{document.version}",
        request=request,
    )
    return pdf_response(content, docs.download_name(document), as_attachment=True)


def pdf_response(content: bytes, file_name: str, *, as_attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment, file_name)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_retry(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for_changing(request, pk)
    try:
        docs.document_retry(actor=request.user, document=document, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is queued again."))
    return redirect("client_documents", client_pk=document.termination.client_id)


@role_required(Role.PRACTICE_ADMIN)
@require_http_methods(["GET", "POST"])
def letterhead(request: HttpRequest) -> HttpResponse:
    form = LetterheadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            docs.letterhead_logo_replace(
                actor=request.user,
                content=upload[0] if upload else None,
                extension=upload[1] if upload else "png",
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Letterhead logo saved.") if upload else _("Letterhead logo removed.")
            )
            return redirect("letterhead")
    return render(
        request,
        "termination/document_letterhead.html",
        {"form": form, "policy": PracticePolicy.current()},
    )


@role_required(Role.PRACTICE_ADMIN)
def letterhead_preview(request: HttpRequest) -> HttpResponse:
    """A one-page sample letter with no client data, rendered now (a fraction of a second)."""
    policy = PracticePolicy.current()
    rendered = render_pdf(
        "pdf/sample_letter.html",
        docs.sample_letter_context(policy, today=timezone.localdate()),
        logo=docs.read_logo(policy),
    )
    return pdf_response(rendered.content, "letterhead-preview.pdf", as_attachment=False)
