from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory, ConsentFactory, GoalFactory

CLINICAL_READERS = frozenset({"owner", "supervisor"})
EDITORS = frozenset({"owner"})
ASSIGNERS = frozenset({"supervisor", "practice_admin"})


def owners_client(owner, **_) -> dict:
    return {"pk": ClientFactory(primary_counselor=owner).pk}


def owners_consent(owner, **_) -> dict:
    consent = ConsentFactory(client=ClientFactory(primary_counselor=owner))
    return {"pk": consent.client_id, "consent_pk": consent.pk}


def owners_goal(owner, **_) -> dict:
    return {"pk": GoalFactory(client=ClientFactory(primary_counselor=owner)).pk}


ROLE_PAGES: dict[str, set[str]] = {
    "client_create": {"owner", "colleague"},
    "client_search": {"owner", "colleague", "supervisor"},
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("client_detail", owners_client, CLINICAL_READERS),
    ObjectUrl("client_edit", owners_client, EDITORS),
    ObjectUrl("client_transfer", owners_client, ASSIGNERS),
    # Readers open the form; coverage_add says who may arrange cover.
    ObjectUrl("client_cover", owners_client, CLINICAL_READERS),
    ObjectUrl("consent_create", owners_client, EDITORS),
    ObjectUrl("consent_revoke", owners_consent, EDITORS, method="post"),
    ObjectUrl("disclosure_check", owners_client, CLINICAL_READERS),
    ObjectUrl("goal_create", owners_client, EDITORS),
    ObjectUrl("goal_edit", owners_goal, EDITORS),
    ObjectUrl("goal_progress", owners_goal, EDITORS),
    ObjectUrl("plan_review", owners_client, EDITORS),
]
