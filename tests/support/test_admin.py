"""Support staff look up support requests and comments in Django admin."""

import pytest

from tests.factories import UserFactory
from tests.support.conftest import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(email="root@liaison.example", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    ("model", "filters"),
    [
        ("supportrequest", {"status__exact": "open", "severity__exact": "normal"}),
        ("supportcomment", {"created_at__gte": "2000-01-01 00:00:00+00:00"}),
    ],
)
def test_admin_lists_search_and_filter(client_as, superuser, support_request, model, filters):
    make_comment(support_request, support_request.created_by, "Printer restarted.")
    client = client_as(superuser)

    listing = client.get(f"/admin/support/{model}/", {"q": "Printer"})
    filtered = client.get(f"/admin/support/{model}/", filters)

    assert listing.status_code == 200
    assert filtered.status_code == 200
    assert "Printer" in filtered.content.decode()
    assert "Printer" in listing.content.decode()


def test_admin_change_page_shows_the_thread(client_as, superuser, support_request):
    make_comment(support_request, support_request.created_by, "Printer restarted.")

    page = client_as(superuser).get(f"/admin/support/supportrequest/{support_request.pk}/change/")

    assert page.status_code == 200
    assert "Printer restarted." in page.content.decode()
