"""The German catalog is complete: every message translated, none left fuzzy, and the
compiled catalog serves them."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"


def entries():
    """(flags, msgid, [msgstr...]) of each entry of the .po file (a small parser)."""
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            yield flags, fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")]


def test_every_message_is_translated_and_none_is_fuzzy():
    found = list(entries())

    assert len(found) > 1000
    assert [msgid for flags, msgid, _ in found if "fuzzy" in flags] == []
    assert [msgid for _, msgid, strs in found if not all(strs)] == []


def test_the_compiled_catalog_serves_german():
    with translation.override("de"):
        assert translation.gettext("Users") == "Benutzer"
        assert translation.gettext("Partner relationships") != "Partner relationships"
