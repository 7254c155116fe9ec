"""One view per step of an ending. Each validates its form, calls the step's service and
returns to the workspace; the service's refusals appear beside the fields, typed text kept."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients.access import client_for_changing
from practice.forms import add_service_error, read_query
from practice.policy.models import PracticePolicy
from termination import services
from termination.access import termination_for_changing
from termination.forms import (
    ClosingLetterForm,
    CopingStepFormSet,
    FollowUpForm,
    NoticeForm,
    OpenEndingForm,
    OpenEndingQueryForm,
    OutreachForm,
    ReasonForm,
    ReasonsForm,
    ReferralForm,
    RelapsePlanForm,
    SupportContactFormSet,
    TaperingForm,
)
from termination.models import FollowUp, FollowUpContact, RelapsePlan, Termination
from termination.relapse_watch import contact_choice_record
from termination.views.kept import post_action_keeping_text


def run_service(form, call: Callable[[dict], object]) -> bool:
    """Validate, then call the service; its ValidationError lands on the form."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True


def stamp(value) -> str:
    return value.isoformat() if value else ""


def to_workspace(request: HttpRequest, termination: Termination, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("termination_workspace", pk=termination.pk)


def render_step(request, termination, template: str, **context) -> HttpResponse:
    return render(
        request,
        f"termination/{template}",
        {"termination": termination, "client": termination.client, **context},
    )


@login_required
@require_http_methods(["GET", "POST"])
def termination_open(request: HttpRequest, client_pk: int) -> HttpResponse:
    # Only the client's counselor (or one covering) starts an ending: supervisors read.
    client = client_for_changing(request, client_pk, what="client record to start an ending")
    form = OpenEndingForm(
        request.POST or None,
        initial={"kind": read_query(request, OpenEndingQueryForm).values["kind"]},
    )
    created: list[Termination] = []
    if request.method == "POST" and run_service(
        form,
        lambda data: created.append(
            services.termination_open(actor=request.user, client=client, request=request, **data)
        ),
    ):
        return to_workspace(
            request, created[0], _("The ending is open. Work through each step below.")
        )
    return render(request, "termination/termination_open.html", {"client": client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    policy = PracticePolicy.current()
    initial = {
        field: getattr(termination, field)
        for field in (
            "raised_on",
            "initiated_by",
            "final_session_on",
            "more_help_needed",
            "counseling_helped",
            "break_kind",
            "client_view",
        )
    } | {
        "override_reason": termination.notice_override_reason,
        "version": stamp(termination.notice_recorded_at),
    }
    initial["raised_on"] = initial["raised_on"] or None
    form = NoticeForm(
        request.POST or None, initial={k: v for k, v in initial.items() if v}, policy=policy
    )
    if request.method == "POST" and run_service(
        form,
        lambda data: services.termination_record_notice(
            actor=request.user, termination=termination, request=request, **data
        ),
    ):
        return to_workspace(request, termination, _("Notice recorded."))
    return render_step(request, termination, "step_notice.html", form=form, policy=policy)


@login_required
@require_http_methods(["GET", "POST"])
def reasons(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    initial = {
        "reason": termination.reason,
        "narrative": termination.reason_narrative,
        "barriers": termination.barriers,
        "feelings_about_future_help": termination.feelings_about_future_help,
        "fees_explained": termination.fees_explained,
        "client_not_in_danger": termination.client_not_in_danger,
        "consequences_discussed": termination.consequences_discussed,
        "version": stamp(termination.reasons_recorded_at),
    }
    form = ReasonsForm(request.POST or None, initial=initial)
    if request.method == "POST" and run_service(
        form,
        lambda data: services.termination_record_reasons(
            actor=request.user, termination=termination, request=request, **data
        ),
    ):
        return to_workspace(request, termination, _("Reasons recorded."))
    return render_step(request, termination, "step_reasons.html", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def referral_add(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and run_service(
        form,
        lambda data: services.termination_add_referral(
            actor=request.user, termination=termination, request=request, **data
        ),
    ):
        return to_workspace(request, termination, _("Referral added."))
    return render_step(request, termination, "step_referral.html", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def relapse_plan(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    plan = RelapsePlan.objects.filter(termination=termination).first()
    policy = PracticePolicy.current()
    data = request.POST or None
    form = RelapsePlanForm(
        data,
        initial={
            "warning_signs": plan.warning_signs if plan else "",
            "triggers": plan.triggers if plan else "",
            "crisis_lines": plan.crisis_lines if plan else policy.crisis_resources,
            "when_to_come_back": plan.when_to_come_back if plan else "",
            "follow_up_contact": getattr(
                FollowUpContact.objects.filter(termination=termination).first(), "choice", ""
            ),
            "version": stamp(plan.updated_at if plan else None),
        },
    )
    steps = CopingStepFormSet(data, prefix="steps", initial=plan.coping_steps if plan else None)
    contacts = SupportContactFormSet(
        data, prefix="contacts", initial=plan.support_contacts if plan else None
    )
    if (
        request.method == "POST"
        and steps.is_valid()
        and contacts.is_valid()
        and run_service(
            form,
            lambda cleaned: (
                services.termination_record_relapse_plan(
                    actor=request.user,
                    termination=termination,
                    request=request,
                    coping_steps=[row for row in steps.cleaned_data if row],
                    support_contacts=[row for row in contacts.cleaned_data if row],
                    **{key: value for key, value in cleaned.items() if key != "follow_up_contact"},
                ),
                contact_choice_record(
                    actor=request.user,
                    termination=termination,
                    choice=cleaned["follow_up_contact"],
                    request=request,
                ),
            ),
        )
    ):
        return to_workspace(request, termination, _("Relapse prevention plan saved."))
    return render_step(
        request, termination, "step_relapse_plan.html", form=form, steps=steps, contacts=contacts
    )


@login_required
@require_http_methods(["GET", "POST"])
def tapering(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    form = TaperingForm(request.POST or None)

    def schedule(data: dict) -> None:
        services.termination_schedule_tapering(
            actor=request.user,
            termination=termination,
            request=request,
            first_starts_at=data["first_starts_at"],
            intervals_days=TaperingForm.SPACINGS[data["spacing"]],
            duration_minutes=data["duration_minutes"],
            modality=data["modality"],
        )

    if request.method == "POST" and run_service(form, schedule):
        return to_workspace(request, termination, _("Tapering sessions scheduled."))
    return render_step(request, termination, "step_tapering.html", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def outreach(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    form = OutreachForm(request.POST or None)
    if request.method == "POST" and run_service(
        form,
        lambda data: services.termination_log_outreach(
            actor=request.user, termination=termination, request=request, **data
        ),
    ):
        return to_workspace(request, termination, _("Outreach attempt logged."))
    return render_step(
        request,
        termination,
        "step_outreach.html",
        form=form,
        policy=PracticePolicy.current(),
        attempts=termination.outreach_attempts.all(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def closing_letter(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    form = ClosingLetterForm(
        request.POST or None,
        initial={
            "sent_on": termination.closing_letter_sent_on,
            "alternative": termination.closing_letter_alternative,
            "version": stamp(termination.closing_letter_recorded_at),
        },
    )
    if request.method == "POST" and run_service(
        form,
        lambda data: services.termination_record_closing_letter(
            actor=request.user, termination=termination, request=request, **data
        ),
    ):
        return to_workspace(request, termination, _("Closing letter step recorded."))
    return render_step(
        request, termination, "step_closing_letter.html", form=form, policy=PracticePolicy.current()
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    item = get_object_or_404(FollowUp, pk=follow_up_pk, termination=termination)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and run_service(
        form,
        lambda data: services.termination_record_follow_up(
            actor=request.user, termination=termination, follow_up=item, request=request, **data
        ),
    ):
        return to_workspace(request, termination, _("Follow-up recorded."))
    return render_step(request, termination, "step_follow_up.html", form=form, follow_up=item)


def _post_action(
    request: HttpRequest, termination: Termination, call, success: str, form=None
) -> HttpResponse:
    """POST-only steps from the workspace: on refusal, the reason is shown there."""
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(next(iter(form.errors.values()))[0])
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("termination_workspace", pk=termination.pk)
    return to_workspace(request, termination, success)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    return _post_action(
        request,
        termination,
        lambda: services.termination_close(
            actor=request.user,
            termination=termination,
            request=request,
            early_reason=request.POST.get("early_reason", "")[:2000],
        ),
        _("The ending is closed. The record is locked; follow-ups are scheduled."),
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    form = ReasonForm(request.POST)
    return _post_action(
        request,
        termination,
        lambda: services.termination_reopen(
            actor=request.user,
            termination=termination,
            request=request,
            reason=form.cleaned_data["reason"],
        ),
        _("The record is reopened; the client is active again."),
        form=form,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    return post_action_keeping_text(
        request,
        termination,
        lambda data: services.termination_withdraw(
            actor=request.user, termination=termination, request=request, reason=data["reason"]
        ),
        _("The ending is withdrawn; counseling continues."),
        form=ReasonForm(request.POST),
        form_name="reason_form",
    )
