"""The practice admin's changes: the policy, staff and their roles, supervision links, copies of
instruments. Every change is audited; none of them reads or writes clinical content."""

from practice.administration.services.common import ensure_practice_admin
from practice.administration.services.instruments import instrument_copy
from practice.administration.services.policy import (
    POLICY_FIELDS,
    policy_update,
    policy_value_as_text,
)
from practice.administration.services.staff import (
    STAFF_FIELDS,
    Deactivation,
    staff_deactivate,
    staff_invite,
    staff_invite_again,
    staff_mfa_reset,
    staff_reactivate,
    staff_set_roles,
)
from practice.administration.services.supervision import (
    links_current_or_later,
    supervision_link_add,
    supervision_link_end,
)

__all__ = [
    "POLICY_FIELDS",
    "STAFF_FIELDS",
    "Deactivation",
    "ensure_practice_admin",
    "instrument_copy",
    "links_current_or_later",
    "policy_update",
    "policy_value_as_text",
    "staff_deactivate",
    "staff_invite",
    "staff_invite_again",
    "staff_mfa_reset",
    "staff_reactivate",
    "staff_set_roles",
    "supervision_link_add",
    "supervision_link_end",
]
