"""Personal access tokens: a prefix people recognise, stored only as a SHA-256 digest."""

import hashlib

TOKEN_PREFIX = "lia_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
