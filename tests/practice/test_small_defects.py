"""Small defects from issue 13: the development email log, the navigation on the add-client page,
<time datetime> values, and the board's accessible names."""

import logging
import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from practice.context_processors import nav_items_for
from practice.devmail import OneLineConsoleBackend

pytestmark = pytest.mark.django_db


def test_a_console_email_is_one_log_line_and_a_saved_file(settings, tmp_path, caplog):
    settings.DEV_MAIL_DIR = tmp_path
    message = EmailMultiAlternatives(
        "Your sessions today", "Line\n" * 200, "practice@localhost", ["maria@example.test"]
    )
    message.attach_alternative("<p>Hello</p>" * 50, "text/html")
    with caplog.at_level(logging.INFO, logger="practice.mail"):
        assert OneLineConsoleBackend().send_messages([message]) == 1
    (record,) = [item for item in caplog.records if item.name == "practice.mail"]
    assert record.levelno == logging.INFO
    line = record.getMessage()
    assert "\n" not in line
    assert line.startswith("Email to maria@example.test: 'Your sessions today'")
    (saved,) = tmp_path.glob("*.eml")
    assert str(saved) in line and b"Your sessions today" in saved.read_bytes()


def test_the_console_email_url_uses_the_one_line_backend(monkeypatch):
    import importlib

    from practice.settings import base

    monkeypatch.setenv("EMAIL_URL", "consolemail://")
    assert importlib.reload(base).EMAIL_BACKEND == "practice.devmail.OneLineConsoleBackend"
    monkeypatch.setenv("EMAIL_URL", "smtp://mail.example.org:25")
    assert importlib.reload(base).EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    monkeypatch.delenv("EMAIL_URL")
    importlib.reload(base)


def test_adding_a_client_highlights_the_caseload_not_the_search(owner):
    items = {item.label: item.active for item in nav_items_for(owner, reverse("client_create"))}
    assert items["My caseload"] is True and items["Find a client"] is False
    search = {item.label: item.active for item in nav_items_for(owner, reverse("client_search"))}
    assert search["Find a client"] is True


def test_time_elements_carry_no_microseconds(client, owner, own_client, policy):
    from termination import services

    ending = services.termination_open(
        actor=owner, client=own_client, kind="planned", initiated_by="both"
    )
    client.force_login(owner)
    page = client.get(f"/endings/{ending.pk}/").content.decode()
    values = re.findall(r'<time datetime="([^"]+)"', page)
    assert values
    for value in values:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", value), value
