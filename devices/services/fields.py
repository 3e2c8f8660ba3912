"""A device's fields: their limits and labels, and cleaning one device (from the API, a
form or a CSV row) into what is stored, or a Refused with a stable code.
"""

import base64
import binascii
import hashlib

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HASH_MIN_BYTES = 16
HASH_MAX_CHARS = 16384

# The API's field names, in the order of the Autopilot CSV columns.
FIELDS = (
    "serial_number",
    "product_key_id",
    "hardware_hash",
    "manufacturer",
    "model",
    "group_tag",
)
REQUIRED = ("serial_number", "hardware_hash")
LIMITS = {
    "serial_number": 128,
    "product_key_id": 64,
    "manufacturer": 128,
    "model": 128,
    "group_tag": 128,
}
LABELS = {
    "serial_number": gettext_lazy("Device Serial Number"),
    "product_key_id": gettext_lazy("Windows Product ID"),
    "hardware_hash": gettext_lazy("Hardware Hash"),
    "manufacturer": gettext_lazy("Manufacturer name"),
    "model": gettext_lazy("Device model"),
    "group_tag": gettext_lazy("Group Tag"),
}

# Why a device was refused (stable codes for the API's per-item results).
MISSING_FIELD = "missing_field"
INVALID_FIELD = "invalid"
INVALID_HASH = "invalid_hash"
DUPLICATE_IN_UPLOAD = "duplicate_in_upload"
ALREADY_REGISTERED = "already_registered"


class Refused(Exception):
    """One device's refusal: a code, a sentence for people and the field it is about."""

    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def already_registered_message() -> str:
    # The same sentence whichever tenant holds the hash: it must not say which.
    return _("This hardware hash is already registered.")


def _text(raw: dict, name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(INVALID_FIELD, _("%(field)s must be text.") % {"field": LABELS[name]}, name)
    value = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Refused(
            INVALID_FIELD,
            _("%(field)s contains control characters.") % {"field": LABELS[name]},
            name,
        )
    limit = LIMITS.get(name)
    if limit and len(value) > limit:
        raise Refused(
            INVALID_FIELD,
            _("%(field)s: at most %(n)d characters.") % {"field": LABELS[name], "n": limit},
            name,
        )
    return value


def _hash(raw: dict) -> tuple[str, str]:
    """(the hash as stored, its SHA-256 digest); the hash is base64 text."""
    value = raw.get("hardware_hash")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refused(
            MISSING_FIELD,
            _("Missing %(field)s.") % {"field": LABELS["hardware_hash"]},
            "hardware_hash",
        )
    message = _("The hardware hash is not valid: base64 text as Windows reports it is expected.")
    if not isinstance(value, str):
        raise Refused(INVALID_HASH, message, "hardware_hash")
    compact = "".join(value.split())
    if len(compact) > HASH_MAX_CHARS:
        raise Refused(INVALID_HASH, message, "hardware_hash")
    try:
        decoded = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(INVALID_HASH, message, "hardware_hash") from None
    if len(decoded) < HASH_MIN_BYTES:
        raise Refused(INVALID_HASH, message, "hardware_hash")
    return compact, hashlib.sha256(decoded).hexdigest()


def clean_device(raw) -> dict:
    """The device fields ready to store, with hash_digest; Refused when not."""
    if not isinstance(raw, dict):
        raise Refused(INVALID_FIELD, _("A device is an object of fields."))
    cleaned = {}
    for name in FIELDS:
        if name != "hardware_hash":
            cleaned[name] = _text(raw, name)
    if not cleaned["serial_number"]:
        raise Refused(
            MISSING_FIELD,
            _("Missing %(field)s.") % {"field": LABELS["serial_number"]},
            "serial_number",
        )
    cleaned["hardware_hash"], cleaned["hash_digest"] = _hash(raw)
    return cleaned


def hash_digest(hardware_hash: str) -> str:
    """The digest a hash is stored under (for tests and the demo)."""
    return _hash({"hardware_hash": hardware_hash})[1]
