"""No input makes a 500: every form and every GET filter on every page of the access test
(tests/test_access.py), filled by Hypothesis with what a bad day or an attacker types: NUL
bytes, dates in year 1 and year 9999, 100,000 characters, ids past 64 bits, ids of records the
user may not see, right-to-left marks, and random text."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access_walk import PUBLIC_PAGES
from tests.factories import ClientFactory
from tests.html_forms import forms_of
from tests.test_access import OBJECT_URLS, ROLE_PAGES, sample_url

pytestmark = pytest.mark.django_db

HOSTILE = [
    "a\x00b",
    "\x00",
    "x" * 100_000,
    "9999-12-31",
    "9999-12-31T23:59",
    "0001-01-01",
    "0001-01-01T00:00",
    "99999999999999999999",
    "-1",
    "0",
    "1e308",
    "‮evil",
    "../../etc/passwd",
    "//evil.example/",
    "javascript:alert(1)",
    "caseload",  # a bare word in `next`: redirect() would look it up as a URL name
]
NEVER_CHANGED = {"csrfmiddlewaretoken"}


@dataclass(frozen=True)
class Page:
    name: str
    visitor: str
    build: object = None

    def url(self, visitors: dict) -> str:
        if self.build is None:
            return reverse(self.name) if self.visitor != "anonymous" else sample_url(self.name)
        return reverse(self.name, kwargs=self.build(**visitors))


def _first(allowed) -> str:
    return "owner" if "owner" in allowed else sorted(allowed)[0]


PAGES = (
    [Page(name, "anonymous") for name in PUBLIC_PAGES]
    + [Page(name, _first(allowed)) for name, allowed in sorted(ROLE_PAGES.items())]
    + [Page(e.name, _first(e.allowed), e.build) for e in OBJECT_URLS if e.method == "get"]
)


def values(foreign_ids: list[str]):
    return st.one_of(
        st.sampled_from(HOSTILE + foreign_ids),
        st.text(max_size=30),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_form_or_filter_fails_on_hostile_input(client, visitors, page, data):
    client.logout()
    if page.visitor != "anonymous":
        client.force_login(visitors[page.visitor])
    url = page.url(visitors)
    response = client.get(url)
    assert response.status_code < 500, url
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    foreign = ClientFactory(primary_counselor=visitors["colleague"])
    strategy = values([str(foreign.pk)])
    for form in forms_of(response.content.decode()):
        filled = {
            name: data.draw(
                st.one_of(strategy, st.sampled_from(form.options[name]))
                if form.options.get(name)
                else strategy,
                label=name,
            )
            for name in form.fields
            if name not in NEVER_CHANGED
        }
        target = form.action or url
        if form.method == "post":
            answer = client.post(target, filled)
        else:
            answer = client.get(target, filled)
        assert answer.status_code < 500, f"{form.method.upper()} {target} {filled!r:.300}"
        if page.visitor != "anonymous":  # a form may sign the visitor out; sign in again
            client.force_login(visitors[page.visitor])


# One field spoiled at a time, the rest as the page fills them in, so the spoiled value reaches
# the code behind a form that is otherwise valid (where an overflow or a bad lookup would be).
SPOILERS = {
    "date": ["9999-12-31", "0001-01-01"],
    "datetime-local": ["9999-12-31T23:59", "0001-01-01T00:00"],
    "number": ["99999999999999999999", "-1"],
    "textarea": ["x" * 100_000, "a\x00b"],
    "text": ["x" * 100_000, "a\x00b", "9999-12-31T23:59"],
    "select": ["99999999999999999999", "foreign"],
    "hidden": ["99999999999999999999", "caseload", "a\x00b"],
    "checkbox": ["99999999999999999999"],
    "radio": ["99999999999999999999"],
}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_each_field_refuses_hostile_input_kindly(client, visitors, page):
    client.logout()
    if page.visitor != "anonymous":
        client.force_login(visitors[page.visitor])
    url = page.url(visitors)
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    foreign = str(ClientFactory(primary_counselor=visitors["colleague"]).pk)
    for form in forms_of(response.content.decode()):
        target = form.action or url
        send = client.post if form.method == "post" else client.get
        for name, kind in form.fields.items():
            if name in NEVER_CHANGED:
                continue
            for spoiler in SPOILERS.get(kind, SPOILERS["text"]):
                filled = {**form.defaults, name: foreign if spoiler == "foreign" else spoiler}
                answer = send(target, filled)
                where = f"{form.method.upper()} {target} {name}={spoiler[:40]!r}"
                assert answer.status_code < 500, where
                if page.visitor != "anonymous":
                    client.force_login(visitors[page.visitor])


# Every name a view reads from the query string (grep request.GET), all at once.
QUERY_NAMES = (
    "q", "kind", "flag", "status", "sort", "instrument", "session", "client", "week", "page",
    "show", "mode", "next", "date_from", "date_to", "actor", "action", "counselor", "older",
    "newer", "client_id", "view", "period", "quarter", "year", "start", "end", "reason",
)  # fmt: skip


BAD_QUERY_VALUES = (
    "a\x00b",  # NUL
    "99999999999999999999",  # past 64 bits
    "9999-12-31",  # year 9999
    "9999-12-31T23:59",
    "0001-01-01",  # year 1
    "-1",
    "nope",  # a choice no form offers
    "x" * 5000,
)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_query_parameter_fails(client, visitors, page):
    if page.visitor != "anonymous":
        client.force_login(visitors[page.visitor])
    url = page.url(visitors)
    for value in BAD_QUERY_VALUES:
        response = client.get(url, dict.fromkeys(QUERY_NAMES, value))
        assert response.status_code < 500, f"GET {url} with {value[:30]!r}"


# Each page that reads its query string through a form (issue 12: every GET filter goes through a
# form), with the names it reads. One bad value at a time, so that a value refused first cannot
# hide a later one that would fail.
QUERY_PAGES = {
    "counselor_home": ("status", "flag", "sort", "q"),  # the caseload
    "supervision_caseload": ("status", "flag", "sort", "q"),
    "supervision_caseload_csv": ("status",),
    "supervision_counselor": ("flag",),
    "supervision_cosign_queue": ("page",),
    "notification_list": ("show", "page"),
    "admin_policy": ("page",),
    "admin_clients": ("q", "counselor", "status", "page"),
    "admin_audit": ("actor", "client_id", "action", "date_from", "date_to", "older", "newer"),
    "agenda": ("week",),
    "provider_list": ("q",),
    "client_search": ("q",),
    "consent_create": ("kind",),
    "disclosure_check": ("recipient", "organisation", "information"),
    "termination_open": ("kind",),
    "rating_create": ("instrument", "session", "mode"),
    "session_new": ("client",),
    "checkin_create": ("session",),
    **{
        f"report_{name}": (
            "view", "period", "quarter", "year", "start", "end", "counselor", "kind", "reason"
        )
        for name in ("endings", "outcomes", "alliance", "after")
    },
}  # fmt: skip
QUERY_CASES = [
    (page, name)
    for page in PAGES
    if page.visitor != "anonymous"
    for name in QUERY_PAGES.get(page.name, ())
]


def test_every_page_that_reads_its_query_string_is_walked():
    walked = {page.name for page, _name in QUERY_CASES}
    assert walked == set(QUERY_PAGES)


@pytest.mark.parametrize("page, name", QUERY_CASES, ids=lambda item: getattr(item, "name", item))
def test_each_query_parameter_refuses_a_bad_value_kindly(client, visitors, page, name):
    client.force_login(visitors[page.visitor])
    url = page.url(visitors)
    for value in BAD_QUERY_VALUES:
        params = {name: value}
        if name in ("start", "end"):
            params["period"] = "custom"
            params.setdefault("start", "2026-01-01")
            params.setdefault("end", "2026-03-31")
            params[name] = value
        response = client.get(url, params)
        assert response.status_code in (200, 302, 404), f"GET {url} {name}={value[:30]!r}"
