"""Every step and transition of an ending. Each function locks the termination row, checks the
move is allowed from the current state, changes it, writes a TerminationEvent and an audit row.
Nothing else assigns Termination.state.

workflow.py holds the machinery; the steps are grouped as the ending goes: opening.py (open,
notice, reasons), steps.py (referral, relapse plan, tapering, outreach, closing letter),
summary.py, closing.py (close, follow-ups, reopen, withdraw) and handover.py (a counselor
leaving, the provider directory)."""

from termination.services.closing import (
    last_contact_on,
    relapse_signal_respond,
    retention_date,
    termination_close,
    termination_record_follow_up,
    termination_reopen,
    termination_withdraw,
)
from termination.services.handover import (
    counselor_departure,
    provider_save,
)
from termination.services.opening import (
    termination_open,
    termination_record_notice,
    termination_record_reasons,
)
from termination.services.steps import (
    termination_add_referral,
    termination_log_outreach,
    termination_record_closing_letter,
    termination_record_relapse_plan,
    termination_schedule_tapering,
)
from termination.services.summary import (
    summary_due_on,
    termination_summary_addendum,
    termination_summary_approve,
    termination_summary_return,
    termination_summary_save,
    termination_summary_sign,
)
from termination.services.workflow import (
    ALLOWED_FROM,
    STEP_VERBS,
    State,
)

__all__ = [
    "ALLOWED_FROM",
    "STEP_VERBS",
    "State",
    "counselor_departure",
    "last_contact_on",
    "provider_save",
    "relapse_signal_respond",
    "retention_date",
    "summary_due_on",
    "termination_add_referral",
    "termination_close",
    "termination_log_outreach",
    "termination_open",
    "termination_record_closing_letter",
    "termination_record_follow_up",
    "termination_record_notice",
    "termination_record_reasons",
    "termination_record_relapse_plan",
    "termination_reopen",
    "termination_schedule_tapering",
    "termination_summary_addendum",
    "termination_summary_approve",
    "termination_summary_return",
    "termination_summary_save",
    "termination_summary_sign",
    "termination_withdraw",
]
