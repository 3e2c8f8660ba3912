"""No secret at rest in clear (issue 12, finding 6): raw invitation and set-password links
stay in the outbox only until the mail is sent, and Django admin never shows them."""

import re

import pytest

from notifications.models import OutboxMessage
from people import services as people_services
from relationships.tokens import hash_token

pytestmark = pytest.mark.django_db

TOKEN_IN_LINK = re.compile(r"/invitations/([A-Za-z0-9_-]{20,})/")


def _texts(message) -> str:
    return " ".join([message.subject, message.body_text, message.body_html, str(message.context)])


def test_a_sent_invitation_keeps_no_usable_link(
    send, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send().status_code == 201
    sent_link = TOKEN_IN_LINK.search(mailoutbox[0].body)
    assert sent_link, "the mail itself carries the link"

    message = OutboxMessage.objects.get(template="invitation")
    assert message.status == OutboxMessage.Status.SENT
    assert sent_link.group(1) not in _texts(message)
    assert "/invitations/" in message.body_text  # still readable: the link, masked


def test_a_sent_set_password_link_is_masked(
    customer_admin, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        people_services.add_member(by=customer_admin, tenant=customer, email="new@fabrikam.example")
    key = re.search(r"/password/reset/key/([^/\s]+)/", mailoutbox[0].body).group(1)

    message = OutboxMessage.objects.get(template="member_invited")
    assert key not in _texts(message)


def test_admin_never_shows_a_link_even_before_sending(
    admin_client, send, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        assert send().status_code == 201
    message = OutboxMessage.objects.get(template="invitation")
    assert message.status == OutboxMessage.Status.PENDING
    token = TOKEN_IN_LINK.search(message.body_text).group(1)
    assert hash_token(token)  # a real token is pending in the row

    page = admin_client.get(f"/admin/notifications/outboxmessage/{message.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    where = body.find(token)
    assert token not in body, body[max(0, where - 300) : where + 50]
