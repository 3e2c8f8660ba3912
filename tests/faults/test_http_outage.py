"""In process: an outage met anywhere on the request path answers 503 in the caller's
language, never a 500 (tests/faults/test_database_down.py does it with a real server)."""

import pytest
from django.db import OperationalError
from django.test import Client

from roles import access


@pytest.fixture
def production_client(settings):
    settings.DEBUG = False  # handler500 answers (with DEBUG on, Django's debug page would)
    return Client(raise_request_exception=False)


@pytest.fixture
def database_gone_in_a_middleware(monkeypatch):
    """RequestContextMiddleware meets the outage first: before any view runs."""

    def gone():
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(access, "request_memo", gone)


def test_a_page_gets_the_503_page(production_client, database_gone_in_a_middleware):
    response = production_client.get("/partners/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Liaison ist vorübergehend nicht erreichbar" in response.content.decode()


def test_the_api_gets_json(production_client, database_gone_in_a_middleware):
    response = production_client.get("/api/v1/directory/partners")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"


def test_any_other_error_is_still_a_500(production_client, monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(access, "request_memo", broken)

    response = production_client.get("/partners/")

    assert response.status_code == 500


def test_a_view_that_meets_the_outage_answers_503(db, client, monkeypatch):
    """process_exception: the outage raised inside an HTML view."""

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("partners.views.directory_pages.directory_cache.per_version", gone)

    response = client.get("/partners/")

    assert response.status_code == 503
    assert b"temporarily unavailable" in response.content
