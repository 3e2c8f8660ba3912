"""The landing page (/partners/ without parameters) is the same for every anonymous
visitor: stored whole per directory version and language, with only the CSRF token put in
per request. Signed-in visitors, pending messages and any query string get it rendered."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.partners.conftest import make_listing

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def test_each_visitor_gets_a_token_of_their_own_that_works(
    django_assert_max_num_queries,
):
    make_listing("Alpha", countries=["DE"])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/partners/")  # stores the page

    with django_assert_max_num_queries(0):
        a = first.get("/partners/")
    b = second.get("/partners/")

    assert a.status_code == b.status_code == 200
    assert "Alpha" in b.content.decode()
    assert _token(a) != _token(b)
    assert f'"X-CSRFToken": "{_token(b)}"' in b.content.decode()
    switched = second.post(
        reverse("set_language"),
        {"language": "de", "next": "/partners/", "csrfmiddlewaretoken": _token(b)},
    )
    assert switched.status_code == 302  # the token is good for this visitor's cookie


def test_the_page_follows_the_language():
    make_listing("Alpha", countries=["DE"])
    client = Client()
    client.get("/partners/")
    client.cookies["django_language"] = "de"

    assert 'lang="de"' in client.get("/partners/").content.decode()


def test_a_signed_in_visitor_sees_their_own_frame(client):
    make_listing("Alpha", countries=["DE"])
    client.get("/partners/")  # an anonymous visit stores the page
    user = UserFactory(email="nadia@example.com")
    client.force_login(user)

    assert "nadia@example.com" in client.get("/partners/").content.decode()


def test_a_pending_message_is_shown(client):
    make_listing("Alpha", countries=["DE"])
    client.get("/partners/")
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))  # "You have signed out." waits for a page

    assert "You have signed out." in client.get("/partners/").content.decode()


def test_a_query_string_renders_the_page(client):
    make_listing("Alpha", countries=["DE"])
    client.get("/partners/")

    response = client.get("/partners/?utm_source=mail")

    assert 'value="/partners/?utm_source=mail"' in response.content.decode()
