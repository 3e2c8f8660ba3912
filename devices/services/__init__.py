"""State changes of the device registry: register (one, a list, a CSV file), change the
group tag, deregister.

The customer's own admins act with `devices.manage`; an OEM partner's managers act with
the `devices.register` capability (the oem relationship type in force) and reach only
the devices their partner registered. Each service: one transaction, a check through the
access resolver, exactly one audit event (a partner's records the partner as acting
tenant), mail queued through the outbox on commit.

fields: limits, labels and cleaning one device; registration: one device or a list, and
the bulk path; csv_upload: the Autopilot CSV file; changes: group tag and deregistration.
Callers import from devices.services; the names below are its whole surface.
"""

from devices.services.changes import change_group_tag, deregister
from devices.services.csv_upload import (
    CSV_HEADER,
    HEADER_FIELDS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    parse_csv,
    register_devices_csv,
)
from devices.services.fields import (
    ALREADY_REGISTERED,
    DUPLICATE_IN_UPLOAD,
    FIELDS,
    HASH_MAX_CHARS,
    HASH_MIN_BYTES,
    INVALID_FIELD,
    INVALID_HASH,
    LABELS,
    LIMITS,
    MISSING_FIELD,
    REQUIRED,
    Refused,
    already_registered_message,
    clean_device,
    hash_digest,
)
from devices.services.registration import (
    INSERT_CHUNK,
    MAX_LIST_ITEMS,
    RowResult,
    UploadResult,
    register_device,
    register_devices,
)

__all__ = [
    "ALREADY_REGISTERED",
    "CSV_HEADER",
    "DUPLICATE_IN_UPLOAD",
    "FIELDS",
    "HASH_MAX_CHARS",
    "HASH_MIN_BYTES",
    "HEADER_FIELDS",
    "INSERT_CHUNK",
    "INVALID_FIELD",
    "INVALID_HASH",
    "LABELS",
    "LIMITS",
    "MAX_LIST_ITEMS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "MISSING_FIELD",
    "REQUIRED",
    "Refused",
    "RowResult",
    "UploadResult",
    "already_registered_message",
    "change_group_tag",
    "clean_device",
    "deregister",
    "hash_digest",
    "parse_csv",
    "register_device",
    "register_devices",
    "register_devices_csv",
]
