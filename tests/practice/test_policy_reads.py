"""The practice policy is read once per page, and afresh by anything that can change it."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.policy.middleware import OnePolicyReadPerPageMiddleware
from practice.policy.models import PracticePolicy

pytestmark = pytest.mark.django_db


def policy_reads(queries) -> int:
    return sum('"practice_practicepolicy"' in query["sql"] for query in queries)


def test_a_page_reads_the_policy_once(client, owner, own_client):
    client.force_login(owner)
    for path in (reverse("counselor_home"), reverse("client_detail", args=[own_client.pk])):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert policy_reads(queries.captured_queries) == 1, path


@pytest.mark.parametrize(("method", "reads"), [("get", 1), ("head", 1), ("post", 2)])
def test_only_a_request_that_changes_nothing_reuses_its_first_read(rf, policy, method, reads):
    def view(request):
        PracticePolicy.current()
        PracticePolicy.current()
        return HttpResponse()

    with CaptureQueriesContext(connection) as queries:
        OnePolicyReadPerPageMiddleware(view)(getattr(rf, method)("/"))
    assert policy_reads(queries.captured_queries) == reads


def test_outside_a_request_every_call_reads_the_database():
    PracticePolicy.current()
    PracticePolicy.objects.filter(pk=1).update(silent_client_days=44)
    assert PracticePolicy.current().silent_client_days == 44
