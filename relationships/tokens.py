"""Invitation tokens: 256 random bits, stored only as a SHA-256 hash; the link that carries
one; how long it lasts."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def approval_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("invitation_landing", args=[raw_token])


def relationship_approval_url(relationship_id) -> str:
    """The approval page of a GDAP relationship by its id (no secret: own admins only)."""
    return settings.SITE_URL + reverse("gdap_relationship_approval", args=[relationship_id])


def new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)  # 256 bits
    return raw, hash_token(raw)


def default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)
