from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory

CLINICAL_READERS = frozenset({"owner", "supervisor"})


def owners_client(owner, **_) -> dict:
    return {"pk": ClientFactory(primary_counselor=owner).pk}


ROLE_PAGES: dict[str, set[str]] = {}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("client_detail", owners_client, CLINICAL_READERS),
]
