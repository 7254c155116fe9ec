"""The in-app notification list, per-kind channel preferences, and the practice admin's view of
the reminder schedule (with "run a sweep now") and the monthly retention report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practice.forms import add_service_error, page_of, read_query
from practice.outbox.services import outbox_problems
from practice.reminders import inbox
from practice.reminders.forms import NotificationListForm, PreferencesForm, SweepRunForm
from practice.reminders.preferences import preferences_of, preferences_save
from practice.reminders.retention import records_past_retention
from practice.reminders.runs import DELIVERY
from practice.reminders.schedule import email_counts, email_problems, schedule_rows
from practice.reminders.sweeps import sweeps
from practice.reminders.tasks import deliver_reminders, run_sweep
from practice.staff.access import role_required
from practice.staff.models import Role, User

admin_only = role_required(Role.PRACTICE_ADMIN)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    filters = read_query(request, NotificationListForm)
    return render(
        request,
        "practice/notification_list.html",
        notification_list_context(request.user, filters),
    )


def notification_list_context(user: User, filters: NotificationListForm) -> dict:
    unread_only = filters.values["show"] == "unread"
    listed = inbox.notifications_for(user, unread_only=unread_only)
    # The unread count comes from the navigation's context (one query per page).
    return {"page": page_of(listed, inbox.PAGE_SIZE, filters), "unread_only": unread_only}


def _back_to_list(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notification_list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with open=1, go on to the record it is about."""
    notification = inbox.notification_mark_read(user=request.user, pk=pk)
    if request.POST.get("open") and notification.link:
        return redirect(notification.link)
    return _back_to_list(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = inbox.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "Marked %(count)s notification read.", "Marked %(count)s notifications read.", marked
        )
        % {"count": marked},
    )
    return _back_to_list(request)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        choices=preferences_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            preferences_save(user=request.user, channels=form.channels())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notification_preferences")
    return render(request, "practice/notification_preferences.html", {"form": form})


def sweep_choices() -> list[tuple[str, str]]:
    choices = [(sweep.name, sweep.label) for sweep in sweeps().values()]
    return [*choices, (DELIVERY, _("Email delivery"))]


@admin_only
@require_GET
def admin_schedule(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "practice/admin_schedule.html",
        admin_schedule_context(SweepRunForm(sweep_choices=sweep_choices())),
    )


def admin_schedule_context(form: SweepRunForm) -> dict:
    return {
        "rows": schedule_rows(),
        "email_counts": email_counts(),
        "problems": email_problems(),
        "outbox_problems": outbox_problems(),
        "form": form,
        "now": timezone.now(),
    }


@admin_only
@require_POST
def admin_sweep_run(request: HttpRequest) -> HttpResponse:
    """Queue one sweep now (the worker runs it like a scheduled one)."""
    form = SweepRunForm(request.POST, sweep_choices=sweep_choices())
    if not form.is_valid():
        return render(request, "practice/admin_schedule.html", admin_schedule_context(form))
    name = form.cleaned_data["sweep"]
    try:
        if name == DELIVERY:
            deliver_reminders.delay()
        else:
            run_sweep.delay(name, request.user.pk)
    except Exception:  # the broker cannot be reached: say so rather than fail
        form.add_error(None, _("The task queue cannot be reached: is the worker's broker running?"))
        return render(request, "practice/admin_schedule.html", admin_schedule_context(form))
    label = dict(sweep_choices())[name]
    messages.success(
        request,
        _("%(sweep)s: queued. Its run appears below when the worker is done.") % {"sweep": label},
    )
    return redirect("admin_schedule")


@admin_only
@require_GET
def retention_report(request: HttpRequest) -> HttpResponse:
    """Closed records past their retention date: names, counselor and dates (what the client
    directory shows), never clinical content. A report: nothing is deleted here."""
    today = timezone.localdate()
    records = list(records_past_retention(today))
    return render(
        request,
        "practice/notification_retention_report.html",
        {
            "records": records,
            "eligible": sum(1 for record in records if not record.legal_hold),
            "held": sum(1 for record in records if record.legal_hold),
            "today": today,
        },
    )
