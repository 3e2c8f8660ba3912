"""Shared by the attack suite: API clients that carry a personal access token."""

import pytest
from rest_framework.test import APIClient

from tenants import services as token_services


@pytest.fixture
def token_client():
    """token_client(user, **create_api_token kwargs) -> (APIClient with the token, token)."""

    def make(user, **kwargs):
        kwargs.setdefault("name", "script")
        token, raw = token_services.create_api_token(by=user, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client, token

    return make


from tests.partners.conftest import support_staff  # noqa: E402, F401 (fixture)
from tests.relationships.conftest import partner_profile, send  # noqa: E402, F401 (fixtures)
