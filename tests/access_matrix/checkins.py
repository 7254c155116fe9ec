"""Who may open the check-in pages (the client's own pages are public: see PUBLIC)."""

from sessions_app.checkins.models import CheckInChannel
from sessions_app.checkins.services import checkin_answer, checkin_send
from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory, instrument

OWNER = frozenset({"owner"})
OWNER_AND_SUPERVISOR = frozenset({"owner", "supervisor"})


def owners_client(owner, **_) -> dict:
    return {"pk": ClientFactory(primary_counselor=owner).pk}


def _checkin(owner):
    return checkin_send(
        actor=owner,
        client=ClientFactory(primary_counselor=owner),
        instruments=[instrument("Alliance")],
        channel=CheckInChannel.IN_ROOM,
    )


def owners_checkin(owner, **_) -> dict:
    return {"pk": _checkin(owner).pk}


def owners_answered_checkin(owner, **_) -> dict:
    checkin = _checkin(owner)
    checkin_answer(
        checkin=checkin,
        item_id=checkin.items.get().pk,
        answers=dict.fromkeys(("goals", "tasks", "bond", "overall"), 7),
    )
    return {"pk": checkin.pk}


ROLE_PAGES: dict[str, set[str]] = {}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("checkin_create", owners_client, OWNER),
    ObjectUrl("checkin_create", owners_client, OWNER, method="post"),
    ObjectUrl("checkin_schedule", owners_client, OWNER),
    ObjectUrl("checkin_schedule", owners_client, OWNER, method="post"),
    ObjectUrl("checkin_detail", owners_checkin, OWNER_AND_SUPERVISOR),
    ObjectUrl("checkin_show", owners_checkin, OWNER, method="post"),
    ObjectUrl("checkin_revoke", owners_checkin, OWNER, method="post"),
    ObjectUrl("checkin_seen", owners_answered_checkin, OWNER, method="post"),
]


def owners_relapse_signal(owner, **_) -> dict:
    """A signal on a closed ending of the owner's client (built directly: tests only)."""
    from django.utils import timezone

    from sessions_app.checkins.models import CheckInPurpose
    from termination.models import RelapseSignal, Termination

    person = ClientFactory(primary_counselor=owner)
    ending = Termination.objects.create(
        client=person, kind="planned", initiated_by="both", opened_by=owner, state="closed"
    )
    checkin = checkin_send(
        actor=None,
        client=person,
        instruments=[],
        channel=CheckInChannel.IN_ROOM,
        purpose=CheckInPurpose.FOLLOW_UP,
    )
    signal = RelapseSignal.objects.create(
        termination=ending,
        checkin=checkin,
        reasons=[{"reason": "wants_to_talk"}],
        raised_at=timezone.now(),
    )
    return {"pk": signal.pk}


OBJECT_URLS += [
    ObjectUrl("relapse_signal_respond", owners_relapse_signal, OWNER),
    ObjectUrl("relapse_signal_respond", owners_relapse_signal, OWNER, method="post"),
]
