"""Writing, signing and reading progress notes, their addenda and the supervisor's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients.models import Client
from practice.forms import add_service_error
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app import services
from sessions_app.access import note_for_reading, note_for_reviewing, session_for_changing
from sessions_app.forms.notes import AddendumForm, NoteForm, ReturnForm
from sessions_app.models import NoteEvent, NoteStatus, ProgressNote
from sessions_app.services.note_preview import note_for_editor
from sessions_app.views.sessions import flash_service_error, in_users_time_zone


def _return_comment(note: ProgressNote, events: list[NoteEvent]) -> NoteEvent | None:
    """The supervisor's comment the counselor still has to address, if the note came back."""
    if (
        note.status == NoteStatus.DRAFT
        and events
        and events[-1].action == NoteEvent.Action.RETURNED
    ):
        return events[-1]
    return None


def _events(note: ProgressNote) -> list[NoteEvent]:
    if note.pk is None:  # the unsaved draft a GET shows
        return []
    return list(note.events.select_related("actor"))


# The editor ---------------------------------------------------------------------------------


@login_required
@in_users_time_zone
@require_http_methods(["GET", "POST"])
def session_note(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_changing(request, pk)
    try:
        if request.method == "GET":  # nothing is written until the counselor saves
            note = note_for_editor(actor=request.user, session=session)
        else:
            note = services.note_open(actor=request.user, session=session, request=request)
    except ValidationError as error:
        if request.method == "POST" and session.client_id:
            # The record closed while the first draft was being typed: keep the text.
            unsaved = ProgressNote(
                session=session, client_id=session.client_id, author=session.counselor
            )
            form = NoteForm(request.POST.copy(), instance=unsaved)
            form.is_valid()
            add_service_error(form, error)
            return render(request, "sessions_app/note_form.html", note_form_context(unsaved, form))
        flash_service_error(request, error)
        return redirect("session_detail", session.pk)
    if request.method == "GET":
        if not note.is_editable:
            return redirect("note_detail", note.pk)
        version = note.updated_at.isoformat() if note.updated_at else ""
        form = NoteForm(instance=note, initial={"version": version})
        return render(request, "sessions_app/note_form.html", note_form_context(note, form))

    # Before the form copies the typed text onto the note.
    version_if_new = _version_of_new(note)
    # A mutable copy, so the version can follow a draft saved just before a failed signature.
    form = NoteForm(request.POST.copy(), instance=note)
    if form.is_valid():
        signing = "sign" in request.POST
        try:
            note, sign_error = _save_then_sign(
                request, note, form, signing=signing, version_if_new=version_if_new
            )
        except ValidationError as error:
            add_service_error(form, error)
            note.refresh_from_db()
        else:
            if sign_error is None and signing:
                messages.success(request, _signed_message(note))
                return redirect("note_detail", note.pk)
            if sign_error is None:
                messages.success(request, _("Draft saved. It is not signed yet."))
                return redirect("session_note", session.pk)
            add_service_error(form, sign_error)
            form.data["version"] = note.updated_at.isoformat()
    return render(request, "sessions_app/note_form.html", note_form_context(note, form))


def _save_then_sign(
    request: HttpRequest,
    note: ProgressNote,
    form: NoteForm,
    *,
    signing: bool,
    version_if_new: str,
) -> tuple[ProgressNote, ValidationError | None]:
    """Save the typed text and, when asked, sign it in the same transaction, so a second signer
    waits on the row lock and then sees the note already signed. A refused signature keeps the
    saved draft (the signing service rolls back only its own savepoint)."""
    with transaction.atomic():
        note = services.note_save_draft(
            actor=request.user,
            note=note,
            version=form.cleaned_data["version"] or version_if_new,
            request=request,
            **form.content(),
        )
        if not signing:
            return note, None
        try:
            return services.note_sign(actor=request.user, note=note, request=request), None
        except ValidationError as error:
            return note, error


def _version_of_new(note: ProgressNote) -> str:
    """A page opened before the note existed may fill it only while it is still empty: text
    saved from another tab meanwhile is never overwritten."""
    return note.updated_at.isoformat() if note.is_empty else "opened before the note existed"


def _signed_message(note: ProgressNote) -> str:
    if note.status == NoteStatus.AWAITING_COSIGN:
        return _("Note signed and sent to your supervisor for co-signature.")
    return _("Note signed. Corrections from now on are dated addenda.")


def note_form_context(note: ProgressNote, form: NoteForm) -> dict:
    events = _events(note)
    return {
        "note": note,
        "session": note.session,
        "client": note.client,
        "form": form,
        "return_comment": _return_comment(note, events),
        "needs_cosign": PracticePolicy.current().needs_cosign(note.author),
    }


# Reading a note, addenda and review ---------------------------------------------------------


@login_required
@in_users_time_zone
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = note_for_reading(request, pk)
    return render(request, "sessions_app/note_detail.html", note_detail_context(note, request.user))


def _may_write(note: ProgressNote, user: User) -> bool:
    return (
        note.author_id == user.pk
        or Client.objects.editable_by(user).filter(pk=note.client_id).exists()
    )


def note_detail_context(
    note: ProgressNote,
    viewer: User,
    addendum_form: AddendumForm | None = None,
    return_form: ReturnForm | None = None,
) -> dict:
    events = _events(note)
    may_write = _may_write(note, viewer)
    may_review = (
        note.status == NoteStatus.AWAITING_COSIGN
        and viewer.is_supervisor
        and viewer.supervises(note.author)
    )
    return {
        "note": note,
        "session": note.session,
        "client": note.client,
        "events": events,
        "addenda": list(note.addenda.select_related("author")),
        "return_comment": _return_comment(note, events),
        "can_edit_draft": may_write and note.status == NoteStatus.DRAFT,
        "can_add_addendum": may_write and note.status != NoteStatus.DRAFT,
        "can_review": may_review,
        "addendum_form": addendum_form or AddendumForm(),
        "return_form": return_form or ReturnForm(),
    }


def _note_for_writing(request: HttpRequest, pk: int) -> ProgressNote:
    """A note the user may add to: the author's, or one of a client they may change."""
    note = note_for_reading(request, pk)
    if not _may_write(note, request.user):
        raise Http404("No such note.")
    return note


@login_required
@in_users_time_zone
@require_POST
def note_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    note = _note_for_writing(request, pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.note_add_addendum(
                actor=request.user, note=note, text=form.cleaned_data["text"], request=request
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                flash_service_error(request, error)
                return redirect("note_detail", note.pk)
            add_service_error(form, error)
        else:
            messages.success(request, _("Addendum added."))
            return redirect("note_detail", note.pk)
    context = note_detail_context(note, request.user, addendum_form=form)
    return render(request, "sessions_app/note_detail.html", context)


@login_required
@require_POST
def note_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    note = note_for_reviewing(request, pk)
    try:
        services.note_cosign(actor=request.user, note=note, request=request)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Note co-signed."))
    return redirect("note_detail", note.pk)


@login_required
@in_users_time_zone
@require_POST
def note_return(request: HttpRequest, pk: int) -> HttpResponse:
    note = note_for_reviewing(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.note_return(
                actor=request.user,
                note=note,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
            note.refresh_from_db()  # someone may have co-signed or returned it meanwhile
        else:
            messages.success(request, _("Note returned to the counselor with your comment."))
            return redirect("note_detail", note.pk)
    context = note_detail_context(note, request.user, return_form=form)
    return render(request, "sessions_app/note_detail.html", context)
