"""The customer agreement shipped with Liaison (version 1.0), published by a data migration."""

from pathlib import Path

DEFAULT_VERSION = "1.0"
DEFAULT_TITLE = "Liaison Customer Agreement"
DEFAULT_BODY = (Path(__file__).resolve().parent / "data" / "customer_agreement_1.0.txt").read_text()


def publish_default(version_model) -> None:
    from django.utils import timezone

    version_model.objects.get_or_create(
        kind="customer_agreement",
        version=DEFAULT_VERSION,
        defaults={"title": DEFAULT_TITLE, "body": DEFAULT_BODY, "published_at": timezone.now()},
    )
