"""Who may open the group, instrument and rating pages."""

import datetime as dt

from django.utils import timezone

from tests.access_matrix import ObjectUrl
from tests.factories import (
    ClientFactory,
    GroupFactory,
    GroupMemberFactory,
    SessionFactory,
    instrument,
)

EVERY_SIGNED_IN = {"owner", "colleague", "supervisor", "practice_admin"}
OWNER = frozenset({"owner"})
FACILITATOR_AND_SUPERVISOR = frozenset({"owner", "supervisor"})
PRACTICE_ADMIN = frozenset({"practice_admin"})


def owners_group(owner, **_) -> dict:
    return {"pk": GroupFactory(created_by=owner, facilitators=[owner]).pk}


def owners_group_member(owner, **_) -> dict:
    group = GroupFactory(created_by=owner, facilitators=[owner])
    member = GroupMemberFactory(group=group, client=ClientFactory(primary_counselor=owner))
    return {"pk": member.pk}


def owners_past_group_session(owner, **_) -> dict:
    group = GroupFactory(
        created_by=owner,
        facilitators=[owner],
        starts_on=timezone.localdate() - dt.timedelta(days=60),
    )
    GroupMemberFactory(group=group, client=ClientFactory(primary_counselor=owner))
    session = SessionFactory(client=None, group=group, counselor=owner, status="scheduled")
    return {"pk": session.pk}


def an_instrument(**_) -> dict:
    return {"pk": instrument("GAD-7").pk}


def owners_client(owner, **_) -> dict:
    return {"pk": ClientFactory(primary_counselor=owner).pk}


ROLE_PAGES: dict[str, set[str]] = {
    "group_list": {"owner", "colleague", "supervisor"},
    "group_create": {"owner", "colleague"},
    "instrument_list": EVERY_SIGNED_IN,
    "instrument_create": {"practice_admin"},
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("group_detail", owners_group, FACILITATOR_AND_SUPERVISOR),
    ObjectUrl("group_member_add", owners_group, OWNER),
    ObjectUrl("group_member_add", owners_group, OWNER, method="post"),
    ObjectUrl("group_member_exit", owners_group_member, OWNER),
    ObjectUrl("group_member_exit", owners_group_member, OWNER, method="post"),
    ObjectUrl("group_session_create", owners_group, OWNER),
    ObjectUrl("group_session_create", owners_group, OWNER, method="post"),
    ObjectUrl("group_attendance", owners_past_group_session, OWNER),
    ObjectUrl("group_attendance", owners_past_group_session, OWNER, method="post"),
    ObjectUrl("instrument_toggle", an_instrument, PRACTICE_ADMIN, method="post"),
    ObjectUrl("rating_create", owners_client, OWNER),
    ObjectUrl("rating_create", owners_client, OWNER, method="post"),
]
