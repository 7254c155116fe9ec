"""The practice admin's changes: the policy, staff and their roles, supervision links, copies of
instruments. Every change is audited; none of them reads or writes clinical content."""

from .common import ensure_practice_admin
from .instruments import instrument_copy
from .policy import POLICY_FIELDS, policy_update, policy_value_as_text
from .staff import (
    STAFF_FIELDS,
    Deactivation,
    staff_deactivate,
    staff_invite,
    staff_invite_again,
    staff_mfa_reset,
    staff_reactivate,
    staff_set_roles,
)
from .supervision import links_current_or_later, supervision_link_add, supervision_link_end

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
