"""The policy page: every value grouped by topic, and the history of changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from practice.administration import services as services
from practice.administration.forms import PolicyForm, policy_label
from practice.administration.views.common import admin_only, form_data
from practice.forms import PageForm, add_service_error, page_of, read_query
from practice.policy.models import PolicyChange, PracticePolicy

HISTORY_PAGE_SIZE = 20


@dataclass(frozen=True)
class HistoryRow:
    change: PolicyChange
    label: str


@admin_only
@require_http_methods(["GET", "POST"])
def policy_page(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(form_data(request), instance=PracticePolicy.current())
    if request.method == "POST" and form.is_valid():
        try:
            history = services.policy_update(
                actor=request.user,
                changes={name: form.cleaned_data[name] for name in services.POLICY_FIELDS},
                version=request.POST.get("version"),
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if history:
                changed = ", ".join(policy_label(row.field).lower() for row in history)
                messages.success(
                    request, _("Policy saved. Changed: %(changed)s.") % {"changed": changed}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("admin_policy")
    return render(
        request,
        "practice/admin_policy.html",
        policy_page_context(form, history_page=read_query(request, PageForm)),
    )


def policy_page_context(form: PolicyForm, *, history_page: PageForm | None = None) -> dict:
    changes = PolicyChange.objects.select_related("changed_by")
    page = page_of(changes, HISTORY_PAGE_SIZE, history_page or PageForm())
    return {
        "form": form,
        "policy_version": PracticePolicy.current().updated_at.isoformat(),
        "history": [HistoryRow(change, policy_label(change.field)) for change in page],
        "history_page": page,
    }
