"""The French catalog is complete, and nothing added later escapes translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# What makemessages must not read: the environment, the tests, generated files.
IGNORED = [".venv", "node_modules", "var", "tests", ".git", "test-artifacts", "staticfiles"]


def entry_keys(catalog: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete}


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(CATALOG))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert len(catalog) > 1000


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_msgfmt_accepts_the_catalog_and_counts_nothing_missing():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOG)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_finds_no_string_the_catalog_lacks(tmp_path):
    """makemessages, run on a copy of the project, would add nothing to the catalog (and its
    entries are the catalog's): a new string cannot land without its French."""
    project = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR, project, ignore=shutil.ignore_patterns(*IGNORED, "*.mo", "__pycache__")
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "fr",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=project,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "practice.settings.base"},
    )
    extracted = entry_keys(polib.pofile(str(project / CATALOG.relative_to(settings.BASE_DIR))))
    committed = entry_keys(polib.pofile(str(CATALOG)))
    assert sorted(extracted - committed, key=str) == [], "run makemessages and translate these"
    assert sorted(committed - extracted, key=str) == [], "these entries are no longer used"
