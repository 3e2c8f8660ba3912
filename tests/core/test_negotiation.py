"""The API's content negotiation answers a client that accepts anything at once, with what
DRF's own negotiation would choose; every other Accept header goes through DRF's."""

import pytest
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.negotiation import ContentNegotiation

RENDERERS = [JSONRenderer(), BrowsableAPIRenderer()]


@pytest.mark.parametrize(
    "accept, query",
    [
        (None, ""),
        ("*/*", ""),
        ("application/json", ""),
        ("text/html", ""),
        ("application/json; indent=4", ""),
        ("text/html;q=0.9, */*;q=0.8", ""),
        (None, "?format=api"),
        ("*/*", "?format=json"),
        (None, "?%66ormat=api"),  # an escaped name is still the format parameter
        (None, "?q=format"),
    ],
)
def test_the_same_choice_as_drf(accept, query):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    request = Request(APIRequestFactory().get(f"/api/v1/directory/partners{query}", **headers))

    mine = ContentNegotiation().select_renderer(request, RENDERERS)
    theirs = DefaultContentNegotiation().select_renderer(request, RENDERERS)

    assert (type(mine[0]), mine[1]) == (type(theirs[0]), theirs[1])


def test_an_unacceptable_type_is_still_refused(api):
    response = api.get("/api/v1/directory/partners", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
