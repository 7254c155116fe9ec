"""The practice admin's pages: only the practice admin opens them; everyone else gets 404."""

from django.utils import timezone

from practice.staff.models import Supervision
from tests.access_matrix import ObjectUrl
from tests.factories import CounselorFactory, SupervisorFactory, instrument

ADMIN = frozenset({"practice_admin"})
ADMIN_PAGES = (
    "admin_policy",
    "admin_staff",
    "admin_staff_invite",
    "admin_clients",
    "admin_instruments",
    "admin_audit",
    "admin_audit_csv",
)


def a_staff_member(**_) -> dict:
    """A counselor of their own, so that deactivating them leaves the standing users alone."""
    return {"pk": CounselorFactory().pk}


def an_invited_staff_member(**_) -> dict:
    member = CounselorFactory()
    member.set_unusable_password()
    member.save()
    return {"pk": member.pk}


def a_deactivated_staff_member(**_) -> dict:
    return {"pk": CounselorFactory(is_active=False).pk}


def a_supervision_link(**_) -> dict:
    link = Supervision.objects.create(
        supervisor=SupervisorFactory(),
        supervisee=CounselorFactory(),
        starts_on=timezone.localdate(),
    )
    return {"pk": link.pk}


def a_shipped_instrument(**_) -> dict:
    return {"pk": instrument("PHQ-9").pk}


ROLE_PAGES: dict[str, set[str]] = {name: set(ADMIN) for name in ADMIN_PAGES}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("admin_staff_detail", a_staff_member, ADMIN),
    ObjectUrl("admin_staff_detail", a_staff_member, ADMIN, method="post"),
    ObjectUrl("admin_supervision_add", a_staff_member, ADMIN, method="post"),
    ObjectUrl("admin_supervision_end", a_supervision_link, ADMIN),
    ObjectUrl("admin_supervision_end", a_supervision_link, ADMIN, method="post"),
    ObjectUrl("admin_staff_deactivate", a_staff_member, ADMIN),
    ObjectUrl("admin_staff_deactivate", a_staff_member, ADMIN, method="post"),
    ObjectUrl("admin_staff_reactivate", a_deactivated_staff_member, ADMIN, method="post"),
    ObjectUrl("admin_staff_mfa_reset", a_staff_member, ADMIN, method="post"),
    ObjectUrl("admin_staff_invite_again", an_invited_staff_member, ADMIN, method="post"),
    ObjectUrl("admin_instrument_copy", a_shipped_instrument, ADMIN, method="post"),
]
