"""The OpenAPI schema is valid and generates without a warning (names, fields, enums)."""

from django.core.management import call_command


def test_schema_is_valid_and_warning_free(tmp_path, db):
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    for path in (
        "/api/v1/tenants/{tid}/delegated-admin-relationships",
        "/api/v1/invitations/{token}/accept",
        "/api/v1/directory/partners",
        "/api/v1/tenants/{tid}/subscriptions",
        "/api/v1/tenants/{tid}/autopilot-devices",
    ):
        assert path + ":" in text
