"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

The compose file is validated against the Compose Specification's JSON schema
(tests/compose-spec.schema.json, see tests/compose-spec.LICENSE.md).
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = Path(__file__).resolve().parent / "compose-spec.schema.json"

SERVICES = {"postgres", "redis", "mailpit", "web", "worker", "beat"}
DJANGO_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_compose_file_matches_the_compose_schema(compose, schema):
    # The schema declares draft-07 with an https URL that older lookups miss; default to Draft 7.
    validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_compose_has_the_six_services(compose):
    assert set(compose["services"]) >= SERVICES


@pytest.mark.parametrize("name", DJANGO_SERVICES)
def test_django_services_wait_for_healthy_postgres_and_redis(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    for dependency in ("postgres", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", DJANGO_SERVICES)
def test_django_services_are_built_from_the_dockerfile(compose, name):
    build = compose["services"][name]["build"]
    assert build["context"] == "."
    assert build.get("dockerfile", "Dockerfile") == "Dockerfile"


def test_dependencies_have_healthchecks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "healthcheck" in services["web"]


def test_postgres_keeps_its_data_in_a_named_volume(compose):
    volumes = compose["services"]["postgres"]["volumes"]
    assert any(str(v).split(":")[0] in compose.get("volumes", {}) for v in volumes)


def test_the_application_connects_as_a_role_that_owns_nothing(compose):
    """Migrations run as the owner, then grant_app_role; web and workers use the app role."""
    services = compose["services"]
    migrate = services["migrate"]
    assert "grant_app_role liaison_app" in migrate["command"]
    assert "//liaison:" in migrate["environment"]["DATABASE_URL"]
    for name in DJANGO_SERVICES:
        assert "//liaison_app:" in services[name]["environment"]["DATABASE_URL"]
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_workers_run_celery(compose):
    services = compose["services"]
    assert "celery -A config.celery_app worker" in services["worker"]["command"]
    assert "celery -A config.celery_app beat" in services["beat"]["command"]
    assert "gunicorn config.wsgi:application" in services["web"]["command"]


def test_dockerfile_serves_the_wsgi_app_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD\s+(.+)$", dockerfile, re.MULTILINE)
    assert cmd, "Dockerfile has no CMD"
    assert "gunicorn" in cmd.group(1)
    assert "config.wsgi:application" in cmd.group(1)
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert re.search(r"^USER\s+(?!root\b)\S+", dockerfile, re.MULTILINE), "runs as root"
