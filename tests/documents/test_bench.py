"""The documents benchmark (manage.py bench_documents) runs end to end and leaves nothing behind."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from clients.models import Client
from termination.models import Termination

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_medians_ratio_and_memory_and_rolls_back():
    clients_before, endings_before = Client.objects.count(), Termination.objects.count()
    output = StringIO()

    call_command("bench_documents", runs=1, sessions=[3, 6], stdout=output)

    printed = output.getvalue()
    assert re.search(r"^minimal one-page document: median [\d.]+ ms .* 1 page\(s\)", printed, re.M)
    assert re.search(r"^closing summary \(3 sessions, 3 goals\): median [\d.]+ ms", printed, re.M)
    assert re.search(r"^closing summary \(6 sessions, 3 goals\): median [\d.]+ ms", printed, re.M)
    assert re.search(r"^ratio closing summary \(3 sessions\) / minimal: [\d.]+$", printed, re.M)
    assert re.search(
        r"^flat in the number of sessions: 6 against 3 sessions [\d.]+×$", printed, re.M
    )
    assert "peak Python memory" in printed and "peak resident memory" in printed
    assert (Client.objects.count(), Termination.objects.count()) == (clients_before, endings_before)
