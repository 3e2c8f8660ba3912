"""The invitation fixtures of tests/relationships, for the activity log's story."""

from tests.relationships.conftest import (  # noqa: F401 - fixtures
    accept,
    partner_profile,
    send,
    sent,
)
