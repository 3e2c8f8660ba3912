"""Per-request context that services may read without threading the request through."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    # Set when a personal access token bound to a tenant authenticated the request: the
    # resolver then opens no other tenant.
    token_tenant_id: object = None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


def client_ip() -> str | None:
    ctx = current_request.get()
    return ctx.ip if ctx else None
