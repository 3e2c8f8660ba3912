"""The real msgraph-sdk, pointed at a local server instead of graph.microsoft.com.

The SDK's own credential path (azure-identity through ``AzureIdentityAccessTokenProvider``)
will not do here: it sends a token only to Microsoft's national-cloud hosts (any other host
silently gets no Authorization header) and refuses plain http except for localhost,
127.0.0.1 and ::1. Kiota's ``BaseBearerTokenAuthenticationProvider`` itself checks
nothing, so a small ``AccessTokenProvider`` that hands out a fixed token, to loopback hosts
only, is all a test needs.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class StaticTokenProvider(AccessTokenProvider):
    """One bearer token, handed out only for URLs on the allowed hosts."""

    def __init__(self, token: str, allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS):
        self._token = token
        self._validator = AllowedHostsValidator(list(allowed_hosts))

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        if not self._validator.is_url_host_valid(uri):
            return ""  # what kiota's own providers do: no token for a foreign host
        return self._token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._validator


def local_graph_client(
    base_url: str, token: str, *, allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
) -> GraphServiceClient:
    """A GraphServiceClient whose requests go to ``base_url`` (".../graph/v1.0").

    The adapter keeps the SDK's default middleware (retry, redirect, parameters-name
    decoding, user agent, headers inspection, Graph telemetry), so what reaches the server
    is what the SDK sends to Microsoft Graph.
    """
    auth = BaseBearerTokenAuthenticationProvider(StaticTokenProvider(token, allowed_hosts))
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = base_url.rstrip("/")
    return GraphServiceClient(request_adapter=adapter)


def run_sync(coroutine):
    """Run a coroutine to its end on a fresh event loop in a thread of its own.

    asyncio.run() refuses to start while another loop runs in the calling thread, and
    Playwright's sync API (tests/e2e) leaves one running in the main thread for the rest
    of the session; a thread of its own sidesteps it. Keep ORM calls out of the coroutine.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graph-sdk") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def call_graph(base_url: str, token: str, work, **client_kwargs):
    """`await work(client)` with a new GraphServiceClient, closed afterwards (a client's
    kept-alive connections die with the event loop they were opened on)."""

    async def main():
        client = local_graph_client(base_url, token, **client_kwargs)
        try:
            return await work(client)
        finally:
            await client.request_adapter._http_client.aclose()

    return run_sync(main())
