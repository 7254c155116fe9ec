import pytest
from django.core import mail
from django.urls import reverse

from practice.audit.models import AuditEvent
from tests.factories import PASSWORD, CounselorFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def sign_in(client, username, password=PASSWORD, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    ("user_fixture", "home"),
    [
        ("owner", "/caseload/"),
        ("supervisor", "/supervision/"),
        ("practice_admin", "/practice-admin/"),
    ],
)
def test_each_role_lands_on_its_own_home(client, request, user_fixture, home):
    user = request.getfixturevalue(user_fixture)
    response = sign_in(client, user.username, ip="192.0.2.1")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == home
    assert client.get(home).status_code == 200


def test_a_user_with_several_roles_sees_each_in_the_navigation(client, supervisor):
    supervisor.is_counselor = True
    supervisor.save()
    client.force_login(supervisor)
    page = client.get("/supervision/").content.decode()
    assert "My caseload" in page and "Supervision" in page and "Practice admin" not in page


def test_it_rejects_a_wrong_password_with_a_clear_message_and_keeps_the_username(client, owner):
    response = sign_in(client, "owner", "not-the-password")
    assert response.status_code == 200
    assert "That username and password do not match" in response.content.decode()
    assert response.context["form"]["username"].value() == "owner"
    assert AuditEvent.objects.filter(action="login_failed", actor_username="owner").exists()


def test_sign_in_and_out_are_audited(client, owner):
    sign_in(client, "owner")
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=owner).values_list("action", flat=True))
    assert sorted(actions) == ["login", "logout"]


def test_repeated_failures_pause_that_username_from_that_address_only(
    client, owner, colleague, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner", "wrong", ip="198.51.100.7")
    locked = sign_in(client, "owner", ip="198.51.100.7")
    assert locked.status_code == 429
    assert "paused" in locked.content.decode()
    # The rest of the office, behind the same address, can still sign in.
    assert sign_in(client, "colleague", ip="198.51.100.7").status_code == 302
    client.logout()
    # And the owner can sign in from another device.
    assert sign_in(client, "owner", ip="203.0.113.9").status_code == 302


def test_an_unknown_username_cannot_lock_out_a_real_one(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(client, "nobody-by-this-name", "guess", ip="198.51.100.8")
    assert sign_in(client, "owner", ip="198.51.100.8").status_code == 302


def test_password_reset_mails_a_working_link(client, owner):
    client.post(reverse("password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/account/password-reset/" in line
    )
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    new_password = "a-new-long-passphrase-42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    owner.refresh_from_db()
    assert owner.check_password(new_password)


def test_password_reset_does_not_reveal_whether_an_address_exists(client):
    response = client.post(reverse("password_reset"), {"email": "unknown@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_change_needs_the_old_password(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "brand-new-passphrase-1",
            "new_password2": "brand-new-passphrase-1",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()


def test_a_user_without_a_role_is_told_what_to_do(client):
    user = CounselorFactory(is_counselor=False)
    client.force_login(user)
    assert "has no role yet" in client.get("/").content.decode()
