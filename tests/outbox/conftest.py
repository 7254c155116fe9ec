"""The documents' endings, for the fault tests (their autouse fixtures stay behind: these tests
are not eager and keep files of their own)."""

from tests.documents.conftest import draft_ending, flow, letterhead  # noqa: F401
