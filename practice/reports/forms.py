"""The filters every report shares: period, view (for people with several roles), counselor,
ending kind and reason. The form only validates; it hands back a ReportFilters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.formats import when
from practice.input import InputLimits
from practice.reports.scope import Scope, View, scope_for, views_for
from practice.staff.models import User
from termination.models import EndingKind, Reason

LONGEST_PERIOD_DAYS = 10 * 366
QUARTERS_OFFERED = 8
YEARS_OFFERED = 6


@dataclass(frozen=True)
class ReportFilters:
    scope: Scope
    start: dt.date
    end: dt.date
    counselor: User | None
    kind: str
    reason: str

    @property
    def period_label(self) -> str:
        return f"{when(self.start, 'date')} – {when(self.end, 'date')}"

    def describe(self) -> str:
        """One line for the audit log and the CSV header: what was counted, never who."""
        parts = [self.scope.view.value, f"{self.start}..{self.end}"]
        if self.counselor:
            parts.append(f"counselor {self.counselor.pk}")
        if self.kind:
            parts.append(self.kind)
        if self.reason:
            parts.append(self.reason)
        return ", ".join(parts)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def quarter_choices(today: dt.date) -> list[tuple[str, str]]:
    choices = []
    start = _quarter_start(today)
    for _step in range(QUARTERS_OFFERED):
        label = _("Q%(quarter)s %(year)s") % {"quarter": (start.month + 2) // 3, "year": start.year}
        choices.append((f"{start:%Y}-{start.month}", label))
        start = _quarter_start(start - dt.timedelta(days=1))
    return choices


class ReportFilterForm(InputLimits, forms.Form):
    view = forms.ChoiceField(label=_("Whose endings"), required=False)
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("last12", _("The last 12 months")),
            ("quarter", _("A quarter")),
            ("year", _("A calendar year")),
            ("custom", _("From … to …")),
        ],
        required=False,
    )
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    counselor = forms.ModelChoiceField(
        label=_("Counselor"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(
        label=_("Ending"),
        choices=[("", _("Planned and unplanned")), *EndingKind.choices],
        required=False,
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Every reason")), *Reason.choices], required=False
    )

    def __init__(self, *args, user: User, min_cell_size: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.views = views_for(user)
        self.fields["view"].choices = [(view.value, view.label) for view in self.views]
        self.fields["quarter"].choices = quarter_choices(self.today)
        self.fields["year"].choices = [
            (year, str(year))
            for year in range(self.today.year, self.today.year - YEARS_OFFERED, -1)
        ]
        chosen = self.data.get("view") or (self.views[0].value if self.views else "")
        view = View(chosen) if chosen in {v.value for v in self.views} else None
        self.scope = scope_for(user, view, min_cell_size) if view else None
        if self.scope is not None:
            self.fields["counselor"].queryset = self.scope.counselors()

    @property
    def offers_views(self) -> bool:
        return len(self.views) > 1

    def clean(self) -> dict:
        data = super().clean()
        if self.scope is None:
            raise ValidationError(_("Choose whose endings to count."))
        period = data.get("period") or "last12"
        if period == "quarter":
            year, month = (int(part) for part in (data.get("quarter") or "0-0").split("-"))
            if not year:
                raise ValidationError({"quarter": _("Choose a quarter.")})
            data["start"] = dt.date(year, month, 1)
            data["end"] = _quarter_end(data["start"])
        elif period == "year":
            if not data.get("year"):
                raise ValidationError({"year": _("Choose a year.")})
            data["start"], data["end"] = dt.date(data["year"], 1, 1), dt.date(data["year"], 12, 31)
        elif period == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise ValidationError(_("Give both dates of the period."))
            if end < start:
                raise ValidationError({"end": _("The period ends before it starts.")})
            if (end - start).days > LONGEST_PERIOD_DAYS:
                raise ValidationError({"end": _("Keep the period within ten years.")})
        else:
            data["end"] = self.today
            data["start"] = _add_months(self.today, -12) + dt.timedelta(days=1)
        data["period"] = period
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            scope=self.scope,
            start=data["start"],
            end=data["end"],
            counselor=data.get("counselor"),
            kind=data.get("kind") or "",
            reason=data.get("reason") or "",
        )


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
        following - dt.timedelta(days=1),
    )
