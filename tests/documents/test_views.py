"""The document pages as the counselor, the supervisor and the practice admin use them."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from practice.audit.models import AuditEvent
from practice.policy.models import PolicyChange, PracticePolicy
from termination.documents import document_panel, document_request
from termination.models import Document, DocumentKind, DocumentState, EndingKind
from tests.documents.conftest import ALL_CATEGORIES, pdf_text, release, stored_pdf
from tests.termination.conftest import Workflow, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_summary(signed_ending, owner, django_capture_on_commit_callbacks) -> Document:
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
        )
    document.refresh_from_db()
    return document


def download(client, document):
    return client.get(reverse("document_download", args=[document.pk]))


def test_the_download_is_private_named_safely_and_audited(client, owner, ready_summary):
    client.force_login(owner)

    response = download(client, ready_summary)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    client_pk = ready_summary.termination.client_id
    assert response["Content-Disposition"] == (
        f'attachment; filename="closing-summary-al-{client_pk}-v1-en.pdf"'
    )
    assert response.content == stored_pdf(ready_summary)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DOWNLOAD,
        actor=owner,
        object_id=str(ready_summary.pk),
        client_id=client_pk,
    ).exists()


def test_the_supervisor_downloads_and_others_get_404(
    client, supervisor, colleague, practice_admin, outsider_supervisor, ready_summary
):
    client.force_login(supervisor)
    assert download(client, ready_summary).status_code == 200
    for visitor in (colleague, practice_admin, outsider_supervisor):
        client.force_login(visitor)
        assert download(client, ready_summary).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count() == 1


def test_a_pending_document_has_nothing_to_download(
    client, owner, signed_ending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(
            actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
        )
    client.force_login(owner)

    assert download(client, document).status_code == 404


def test_a_tampered_file_is_not_sent(client, owner, ready_summary, private_files):
    path = private_files.path(ready_summary.file.name)
    with open(path, "ab") as stream:
        stream.write(b"tampered")
    client.force_login(owner)

    response = download(client, ready_summary)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_the_list_shows_every_version(client, owner, ready_summary, signed_ending):
    from termination import services

    services.termination_summary_addendum(actor=owner, termination=signed_ending, text="Called.")
    document_request(actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY)
    client.force_login(owner)

    response = client.get(reverse("client_documents", args=[signed_ending.client_id]))

    page = response.content.decode()
    assert [document.version for document in response.context["documents"]] == [2, 1]
    assert page.count('data-testid="document-row"') == 2
    assert ready_summary.sha256[:12] in page
    assert "Signed and approved summary" in page


def add_documents(termination, owner, count: int) -> None:
    for index in range(count):
        Document.objects.create(
            termination=termination,
            kind=DocumentKind.AFTERCARE_LETTER,
            version=index + 100,
            record_version=f"{index:064}",
            generated_by=owner,
            state=DocumentState.FAILED,
            error="Test",
        )


def test_the_list_query_count_does_not_grow(client, owner, ready_summary, signed_ending):
    client.force_login(owner)
    url = reverse("client_documents", args=[signed_ending.client_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_documents(signed_ending, owner, 20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["documents"]) == 21
    assert len(many) == len(one), f"{len(one)} queries, then {len(many)}"


def test_the_panel_query_count_does_not_grow(owner, ready_summary, signed_ending):
    termination = Workflow.refresh(signed_ending)
    document_panel(client=termination.client, viewer=owner, termination=termination)
    with CaptureQueriesContext(connection) as one:
        render_to_string(
            "termination/_documents.html",
            {
                "client": termination.client,
                "termination": termination,
                "document_panel": document_panel(
                    client=termination.client, viewer=owner, termination=termination
                ),
            },
        )
    add_documents(signed_ending, owner, 20)
    with CaptureQueriesContext(connection) as many:
        render_to_string(
            "termination/_documents.html",
            {
                "client": termination.client,
                "termination": termination,
                "document_panel": document_panel(
                    client=termination.client, viewer=owner, termination=termination
                ),
            },
        )
    assert len(many) == len(one)


def test_asking_for_the_summary_from_its_page(
    client, owner, signed_ending, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    url = reverse("document_new", args=[signed_ending.pk, "closing-summary"])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    document = Document.objects.get()
    assert document.state == DocumentState.READY, document.error
    assert "Closing summary (version 1) is being generated." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "client_documents", args=[signed_ending.client_id]
    )


def test_the_referral_letter_page_names_the_missing_consent(client, owner, flow):
    termination = flow.open()
    referral = flow.referral(termination, flow.provider("Dr Rosa Rivera"))
    client.force_login(owner)

    response = client.post(
        reverse("document_new", args=[termination.pk, "referral-letter"]),
        {"referral": referral.pk, "sections": ["attendance"]},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "No release of information names Dr Rosa Rivera." in page
    assert response.context["form"]["sections"].value() == ["attendance"]
    assert not Document.objects.exists()


def test_the_referral_letter_page_produces_the_letter(
    client, owner, flow, own_client, django_capture_on_commit_callbacks
):
    termination = flow.open()
    referral = flow.referral(termination, flow.provider("Dr Rosa Rivera"))
    release(own_client, referral.provider, ALL_CATEGORIES)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("document_new", args=[termination.pk, "referral-letter"]),
            {"referral": referral.pk, "sections": ["goals"]},
        )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.referral == referral and document.options["sections"] == ["goals"]
    assert "Treatment goals and progress" in pdf_text(stored_pdf(document))


def test_the_closing_letter_page_says_when_the_client_refused_letters(
    client, owner, flow, own_client
):
    own_client.may_write = False
    own_client.save()
    termination = flow.open(kind=EndingKind.UNPLANNED)
    provider = flow.provider("Service", phone="555")
    client.force_login(owner)
    url = reverse("document_new", args=[termination.pk, "closing-letter"])

    page = client.get(url).content.decode()
    assert "has not agreed to letters" in page

    response = client.post(
        url,
        {"close_on": (today() + dt.timedelta(days=14)).isoformat(), "providers": [provider.pk]},
    )
    assert response.status_code == 200
    assert "has not agreed to letters" in response.content.decode()
    assert not Document.objects.exists()


def test_the_workspace_panel_offers_what_can_be_produced(owner, flow, own_client):
    own_client.may_write = False
    own_client.save()
    termination = Workflow.refresh(flow.open(kind=EndingKind.UNPLANNED))

    html = render_to_string(
        "termination/_documents.html",
        {
            "client": termination.client,
            "termination": termination,
            "document_panel": document_panel(
                client=termination.client, viewer=owner, termination=termination
            ),
        },
    )

    assert "Start the closing summary first." in html
    assert "Write the relapse plan first." in html
    assert "The client has not agreed to letters: no closing letter is produced." in html


def test_the_supervisor_sees_no_request_links(supervisor, signed_ending):
    termination = Workflow.refresh(signed_ending)
    panel = document_panel(client=termination.client, viewer=supervisor, termination=termination)
    assert panel["can_request"] is False and panel["offers"] == []


def test_a_failed_document_can_be_tried_again_from_the_list(
    client, owner, signed_ending, monkeypatch, django_capture_on_commit_callbacks
):
    from termination.documents import services as documents

    real = documents.html_to_pdf
    monkeypatch.setattr(documents, "html_to_pdf", lambda html, **kw: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
        )
    monkeypatch.setattr(documents, "html_to_pdf", real)
    client.force_login(owner)
    page = client.get(reverse("client_documents", args=[signed_ending.client_id]))
    assert "Could not be generated (4 attempts): ZeroDivisionError" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_retry", args=[document.pk]))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == DocumentState.READY


# The letterhead ---------------------------------------------------------------------------------


def image_file(kind: str = "PNG", size=(300, 100), name="logo.png") -> SimpleUploadedFile:
    stream = io.BytesIO()
    Image.new("RGB", size, (47, 93, 98)).save(stream, format=kind)
    return SimpleUploadedFile(name, stream.getvalue())


def upload(client, file):
    return client.post(reverse("letterhead"), {"logo": file})


def test_the_admin_uploads_a_logo_that_is_stored_privately(client, practice_admin, private_files):
    client.force_login(practice_admin)
    original = image_file()

    response = upload(client, original)

    assert response.status_code == 302
    policy = PracticePolicy.current()
    assert policy.logo.name.startswith("letterhead/logo-") and policy.logo.name.endswith(".png")
    assert private_files.exists(policy.logo.name)
    with Image.open(private_files.path(policy.logo.name)) as stored:
        assert stored.size == (300, 100)
    change = PolicyChange.objects.get(field="logo")
    assert change.changed_by == practice_admin and change.new_value == policy.logo.name


def test_a_new_logo_replaces_the_old_file(
    client, practice_admin, private_files, django_capture_on_commit_callbacks
):
    client.force_login(practice_admin)
    upload(client, image_file())
    first = PracticePolicy.current().logo.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, image_file("JPEG", name="logo.jpg"))
    second = PracticePolicy.current().logo.name
    assert second.endswith(".jpg") and not private_files.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letterhead"), {"remove": "on"})
    assert PracticePolicy.current().logo.name == "" and not private_files.exists(second)


@pytest.mark.parametrize(
    "file, message",
    [
        (image_file("GIF", name="logo.gif"), "Upload a PNG or JPEG image."),
        (image_file(size=(2001, 50)), "keep it within 2000 × 2000"),
        (SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"), "not a readable PNG or JPEG"),
        (SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024)), "under 1 MB"),
    ],
    ids=["gif", "too-wide", "not-an-image", "too-large"],
)
def test_it_refuses_what_is_not_a_small_png_or_jpeg(client, practice_admin, file, message):
    client.force_login(practice_admin)
    file.seek(0)

    response = upload(client, file)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PracticePolicy.current().logo


def test_the_letterhead_preview_is_a_private_pdf(client, practice_admin, letterhead):
    client.force_login(practice_admin)

    response = client.get(reverse("letterhead_preview"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith("inline;")
    text = pdf_text(response.content)
    assert "Harbour Counseling" in text and "It holds no client information." in text


def test_counselors_cannot_reach_the_letterhead(client, owner):
    client.force_login(owner)
    assert client.get(reverse("letterhead")).status_code == 404
    assert client.get(reverse("letterhead_preview")).status_code == 404


def test_the_stored_checksum_is_the_file_checksum(ready_summary):
    assert hashlib.sha256(stored_pdf(ready_summary)).hexdigest() == ready_summary.sha256


def test_the_client_page_panel_lists_the_latest_versions(owner, ready_summary, signed_ending):
    client_record = Workflow.refresh(signed_ending).client

    html = render_to_string(
        "termination/_documents.html",
        {
            "client": client_record,
            "document_panel": document_panel(client=client_record, viewer=owner),
        },
    )

    assert reverse("document_download", args=[ready_summary.pk]) in html
    assert "Every document and version (1)" in html
    assert "Produce the" not in html, "documents are asked for from an ending"


def test_the_include_works_before_the_panel_is_in_the_context(own_client):
    html = render_to_string("termination/_documents.html", {"client": own_client})

    assert reverse("client_documents", args=[own_client.pk]) in html


def test_the_list_offers_documents_to_the_counselor_only(client, owner, supervisor, flow):
    termination = flow.prepared(flow.open())
    url = reverse("client_documents", args=[termination.client_id])
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert reverse("document_new", args=[termination.pk, "aftercare-letter"]) in page
    assert "Start the closing summary first." in page

    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert reverse("document_new", args=[termination.pk, "aftercare-letter"]) not in page


def test_a_planned_ending_offers_no_closing_letter(client, owner, flow):
    termination = flow.open()
    client.force_login(owner)
    url = reverse("document_new", args=[termination.pk, "closing-letter"])

    assert "A closing letter is part of an unplanned ending" in client.get(url).content.decode()
    response = client.post(url, {"close_on": today().isoformat()})
    assert response.status_code == 200 and not Document.objects.exists()


@pytest.mark.parametrize(
    "slug", ["closing-summary", "referral-letter", "aftercare-letter", "closing-letter"]
)
@pytest.mark.parametrize("kind", [EndingKind.PLANNED, EndingKind.UNPLANNED])
def test_every_request_page_answers_for_every_kind_of_ending(client, owner, flow, kind, slug):
    termination = flow.open(kind=kind)
    client.force_login(owner)
    url = reverse("document_new", args=[termination.pk, slug])

    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200, "an empty form or a refusal comes back"
    assert not Document.objects.exists()
