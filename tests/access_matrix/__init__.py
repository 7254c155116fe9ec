"""Who may open which URL. Each area lists its pages here; tests/test_access.py checks them all.

ROLE_PAGES: URL name -> the visitors who get a page (everyone else signed in gets 404).
OBJECT_URLS: URLs about one record, built by a function from the standing users.
Visitors: anonymous, owner (a counselor), colleague (another counselor), supervisor (supervises
owner), practice_admin.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectUrl:
    """`build(owner=, colleague=, supervisor=, practice_admin=)` makes a record belonging to the
    owner's caseload and returns the URL kwargs; `allowed` may open it, the rest get 404.
    `method` is "get" for pages, "post" for actions (checked with an empty form)."""

    name: str
    build: Callable[..., dict]
    allowed: frozenset[str]
    method: str = "get"
