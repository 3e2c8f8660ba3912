"""The German catalog is complete: every message in the code and templates is in it,
translated, none left fuzzy, and the compiled catalog serves them.

`test_every_string_in_the_code_has_a_german_translation` extracts the messages afresh
(makemessages, as `make messages` does, into a temporary copy of the tree) and fails
for any that locale/de lacks: a new `{% translate %}` or `_()` without German fails here,
before anyone runs `make messages`.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
# What `make messages` scans: the apps and templates, not tests, venv or collected static.
SKIP = {"tests", "locale", "staticfiles", "docs", "node_modules", "media"}


def entries(path: Path = PO):
    """(flags, msgctxt, msgid, [msgstr...]) of each entry of a .po file (a small parser)."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            yield flags, fields.get("msgctxt", ""), fields["msgid"], strs


def test_every_message_is_translated_and_none_is_fuzzy():
    found = list(entries())

    assert len(found) > 1000
    assert [msgid for flags, _, msgid, _s in found if "fuzzy" in flags] == []
    assert [msgid for _f, _c, msgid, strs in found if not all(strs)] == []


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages makemessages finds in the code and templates today."""
    if not shutil.which("xgettext"):
        pytest.fail("needs GNU gettext (xgettext) to extract the messages")
    tree = tmp_path_factory.mktemp("messages")
    for child in ROOT.iterdir():
        if child.name.startswith(".") or child.name in SKIP:
            continue
        if child.is_dir():
            (tree / child.name).symlink_to(child, target_is_directory=True)
    (tree / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    script = (
        "import django, sys;"
        "from django.conf import settings;"
        f"settings.LOCALE_PATHS = [{str(tree / 'locale')!r}];"
        "django.setup();"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['de'], extensions=['html', 'txt', 'py'],"
        " no_location=True, symlinks=True, ignore_patterns=['.venv/*'], verbosity=0)"
    )
    subprocess.run(
        [os.sys.executable, "-c", script],
        cwd=tree,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=300,
    )
    return list(entries(tree / "locale" / "de" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_has_a_german_translation(extracted):
    catalog = {(ctxt, msgid): strs for _f, ctxt, msgid, strs in entries()}

    assert len(extracted) > 1000
    missing = [
        msgid for _f, ctxt, msgid, _s in extracted if not all(catalog.get((ctxt, msgid)) or [""])
    ]
    assert not missing, f"{len(missing)} strings lack German (run `make messages`):\n" + "\n".join(
        missing
    )


def test_the_compiled_catalog_serves_german():
    with translation.override("de"):
        assert translation.gettext("Users") == "Benutzer"
        assert translation.gettext("Partner relationships") != "Partner relationships"
