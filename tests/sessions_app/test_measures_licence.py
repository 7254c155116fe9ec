"""The product must not ship the item text of licensed instruments (SRS, ORS, WAI-SR, OQ-45).

Distinctive phrases of those instruments are kept here only as SHA-256 hashes of their
lower-cased words, so this file does not reproduce them either. Every .py and .html file of the
repository is cut into sliding windows of words, and each window's hash is compared.
"""

import hashlib
import importlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from sessions_app.models import Instrument

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "node_modules", ".git", "vendor", "staticfiles", "__pycache__"}

# (number of words, sha256 of the words joined by single spaces)
LICENSED_PHRASES = {
    "SRS": [
        (6, "fe9ce32f8455e768d693a85371526c49d3969c6895edc6697546ee0b849a4849"),
        (7, "6f89692e0c5221911a7081b17758f20f81001104e0deefaa592deb7d88344bf3"),
        (15, "9d7f3272d8a73343d925eff5f592e80bdb2365e8dad2879351fdf10b1c118230"),
        (9, "32ae30440ccec93aa4d35f11107e26fa7f3289dfd383689d3d3e2a569fc9d53f"),
        (8, "ce6fa3a67fe26b59e1b6ee8bf906f3a3242b2f774d7a7e0758abacad578b822b"),
    ],
    "ORS": [
        (4, "b5703905ea257daa9baa5ad069d4a2accd794ca13e73653c9f70b872ad057737"),
        (4, "e55bdd2153b6efe2c47e52d0965fc130690d830b0bc9bd59e0bcc3f49f2b6404"),
        (4, "762d8b6df23b4947f05857ff9f42a7a823323ffbc13ddb3fecb87faf2547c040"),
        (6, "5b56c2bc0b2bdc0bf50b8ee695463daa0d328520f66442b4ad69f92b9c12218a"),
    ],
    "WAI-SR": [
        (18, "66edc1c91735e6a63971ce4731cbd43d322f5be78127bfbe5075c2f6b5469369"),
        (9, "f281888bffac96160e8f0c72b8119a3cc4fa9c2bf36025ecfb33e7b348d2492d"),
        (7, "99f049f6d8ce6cf1afd284c663a0d68fe2b7d07021ae0b7f5a696edde968db22"),
        (6, "17759843d3d0de6d984584fd36ae1c1571b84ff045b9fd94bf336476e14182c5"),
        (12, "54f97e0931cc8b7398b57ab15e35b58bdc6234ec33f72f55717d941b356f22bb"),
        (9, "2b0fccb7e5c02d4569879aa31a4e0deab60bc113bab1735bee40f7ff28f0b98d"),
    ],
    "OQ-45": [
        (13, "2172caf7a59781db0a12fc361807bbadeb62f0fac5e838d2a845b8e2fe53d550"),
        (12, "f4050ca89b2e611b06b26df29deac19003d8fdf3d712d612023fa3f1fb184a36"),
        (9, "adb13e8bea7ce4018a2a5fc45d5b6eff713c7fcfd5650d777646afbb894d9a03"),
        (9, "3bac9f9022777dacd2d387696dd17654978ee6bbadb022011d213eaefd9be8b7"),
        (12, "e2227130956bee24ad24deba39ba9f713899583ae93568f8e6acbcea636455c8"),
    ],
}


def words_of(text: str) -> list[str]:
    """Lower-case words; apostrophes vanish ("today's" → "todays"), other marks split words."""
    text = re.sub(r"['’]", "", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def _hash(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def licensed_phrases_in(text: str, phrases: dict | None = None) -> set[str]:
    """The instruments whose phrases occur in the text."""
    phrases = LICENSED_PHRASES if phrases is None else phrases
    words = words_of(text)
    hashes_by_length: dict[int, set[str]] = {}
    for length in {length for entries in phrases.values() for length, _ in entries}:
        windows = (words[i : i + length] for i in range(len(words) - length + 1))
        hashes_by_length[length] = {_hash(window) for window in windows}
    return {
        name
        for name, entries in phrases.items()
        if any(digest in hashes_by_length[length] for length, digest in entries)
    }


def source_files() -> Iterator[Path]:
    """Tracked and new (not ignored) .py and .html files; a plain walk where git is missing."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py", "*.html"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        paths = [ROOT / name for name in listed]
    except (OSError, subprocess.CalledProcessError):
        paths = [*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]
    for path in paths:
        if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            yield path


def test_the_check_finds_a_phrase_however_it_is_punctuated():
    made_up = {"Made-up": [(5, _hash(["the", "owls", "today", "sang", "well"]))]}
    text = 'label = _("The owls\' Today — sang, WELL!")'
    assert licensed_phrases_in(text, made_up) == {"Made-up"}
    assert licensed_phrases_in("<p>the owls sang well today</p>", made_up) == set()


def test_no_source_file_holds_licensed_item_text():
    """Including the shipped instruments: our alliance check-in is worded afresh."""
    offending = {
        str(path.relative_to(ROOT)): found
        for path in source_files()
        if (found := licensed_phrases_in(path.read_text(errors="ignore")))
    }
    assert offending == {}


def test_only_the_alliance_check_in_phq9_and_gad7_are_shipped(db):
    shipped_data = importlib.import_module("sessions_app.shipped_instruments")
    assert [spec["short_name"] for spec in shipped_data.INSTRUMENTS] == [
        "Alliance",
        "PHQ-9",
        "GAD-7",
    ]
    shipped = Instrument.objects.filter(is_shipped=True).values_list("short_name", flat=True)
    assert sorted(shipped) == ["Alliance", "GAD-7", "PHQ-9"]


@pytest.mark.parametrize(
    "name",
    ["Session Rating Scale", "Outcome Rating Scale", "Working Alliance Inventory", "OQ-45 item"],
)
def test_no_template_or_migration_carries_a_licensed_instrument(name):
    candidates = [
        path
        for path in source_files()
        if path.suffix == ".html" or "migrations" in path.relative_to(ROOT).parts
    ]
    assert candidates
    carrying = [
        str(path.relative_to(ROOT))
        for path in candidates
        if name.lower() in path.read_text(errors="ignore").lower()
    ]
    assert carrying == []
