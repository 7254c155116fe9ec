"""The supervisor's pages. Only a supervisor of the owner opens them: counselors, the practice
admin and supervisors of other counselors get 404 (see tests/supervision/test_access.py)."""

from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory

SUPERVISOR = frozenset({"supervisor"})


def owner_pk(owner, **_) -> dict:
    ClientFactory(primary_counselor=owner)
    return {"pk": owner.pk}


def client_pk(owner, **_) -> dict:
    return {"pk": ClientFactory(primary_counselor=owner).pk}


ROLE_PAGES: dict[str, set[str]] = {
    "supervisor_home": {"supervisor"},
    "supervision_cosign_queue": {"supervisor"},
    "supervision_approval_queue": {"supervisor"},
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("supervision_counselor", owner_pk, SUPERVISOR),
    ObjectUrl("supervision_caseload", owner_pk, SUPERVISOR),
    ObjectUrl("supervision_caseload_csv", owner_pk, SUPERVISOR),
    ObjectUrl("supervision_client", client_pk, SUPERVISOR),
    ObjectUrl("supervision_comment_add", client_pk, SUPERVISOR, method="post"),
    ObjectUrl("supervision_chart_reviewed", client_pk, SUPERVISOR, method="post"),
]
