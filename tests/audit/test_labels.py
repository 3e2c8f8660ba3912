"""Every audit action the services write has a label people read (and translate)."""

import ast
from pathlib import Path

from django.conf import settings

from audit.labels import ACTION_LABELS

APPS = ["tenants", "roles", "partners", "agreements", "billing", "devices", "industry",
        "support", "notifications", "core", "audit", "relationships", "people"]  # fmt: skip


def written_actions() -> set[str]:
    """Action codes passed as literals to record()/record_system_many() or kept in tables."""
    prefixes = {key.split(".")[0] for key in ACTION_LABELS}
    found = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    head, _, tail = node.value.partition(".")
                    past_tense = tail.endswith(("ed", "_sent"))  # actions are past tense
                    if head in prefixes and past_tense and tail.replace("_", "").isalpha():
                        found.add(node.value)
    return found - NOT_ACTIONS


# Look like actions but are not: a partner capability (roles/permissions.py).
NOT_ACTIONS = {"partner.listed"}


def test_every_written_action_has_a_label():
    missing = sorted(action for action in written_actions() if action not in ACTION_LABELS)

    assert missing == []


def test_status_driven_actions_have_labels():
    for status in ("contacted", "converted", "closed"):
        assert f"lead.{status}" in ACTION_LABELS
    for status in ("approved", "rejected"):
        assert f"industry_app.{status}" in ACTION_LABELS
