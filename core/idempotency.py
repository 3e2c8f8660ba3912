"""Idempotent retries of the POSTs that change state (Stripe's Idempotency-Key).

A client that lost the answer to a POST (a timeout, a dropped connection, a 503 after the
commit) sends it again with the same `Idempotency-Key` header: the first answer is
replayed (status and body, header `Idempotent-Replayed: true`) and nothing happens twice.
The same key with another body is a 422. Keys belong to the caller (the user, or the
token it used), the method and the path, and are kept for KEY_TTL.

The key is written in the transaction of the change it answers, so the two commit
together: a retry of a change that committed replays it, one that did not runs again.
Only successes are kept; a 4xx answer leaves no key behind (a retry runs again).

Handlers wrapped by `idempotent` also run in one transaction with or without a key: the
answer is built from the committed objects before the commit, so a failing read after
the change can never report a committed change as failed.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core import errors
from core.text import mask_link

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def idempotent(*, secret_fields=()):
    """Decorate a DRF handler (post) to honour Idempotency-Key.

    secret_fields: fields of the answer shown once (a link with its token): kept masked,
    so a replay shows them masked (Liaison stores no secret in clear).
    """

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(view, request, *args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                with transaction.atomic():
                    return handler(view, request, *args, **kwargs)
            return _with_key(handler, view, request, args, kwargs, _checked(key), secret_fields)

        wrapper.idempotent = True
        return wrapper

    return decorate


def _with_key(handler, view, request, args, kwargs, key, secret_fields):
    from core.models import IdempotencyKey

    scope = {"owner": _owner(request), "method": request.method, "path": request.path, "key": key}
    fingerprint = _fingerprint(request.data)
    now = timezone.now()
    with transaction.atomic():
        IdempotencyKey.objects.filter(**scope, expires_at__lte=now).delete()
        try:
            # A parallel retry with this key waits here until the first commits, then
            # replays it (or runs, if the first failed and left no key).
            with transaction.atomic():
                kept = IdempotencyKey.objects.create(
                    **scope, fingerprint=fingerprint, expires_at=now + KEY_TTL
                )
        except IntegrityError:
            return _replay(IdempotencyKey.objects.get(**scope), fingerprint)
        response = handler(view, request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            kept.status_code = response.status_code
            kept.body = _kept_body(response.data, secret_fields)
            kept.save(update_fields=["status_code", "body"])
        else:
            kept.delete()
        return response


def _replay(kept, fingerprint: str) -> Response:
    if kept.fingerprint != fingerprint:
        raise errors.IdempotencyKeyReused()
    return Response(kept.body, status=kept.status_code, headers={REPLAYED: "true"})


def _checked(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise errors.ValidationError(
            _("The Idempotency-Key header must be 1 to 255 printable ASCII characters."),
            errors={HEADER: [_("Not a valid key.")]},
        )
    return key


def _owner(request) -> str:
    token = getattr(request, "auth", None)
    if token is not None and getattr(token, "pk", None) is not None:
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"


def _fingerprint(data) -> str:
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _kept_body(data, secret_fields):
    body = json.loads(json.dumps(data, cls=JSONEncoder))
    if isinstance(body, dict):
        for field in secret_fields:
            if isinstance(body.get(field), str):
                body[field] = mask_link(body[field])
    return body


def purge_expired(*, now=None) -> int:
    """Delete the keys past their expiry; returns how many."""
    from core.models import IdempotencyKey

    deleted, _counts = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
