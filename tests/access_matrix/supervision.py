from tests.access_matrix import ObjectUrl

ROLE_PAGES: dict[str, set[str]] = {}
OBJECT_URLS: list[ObjectUrl] = []
