"""Account events done in allauth's views are audited (one event each)."""

from audit.models import AuditEvent
from tests.factories import UserFactory


def test_sign_up_is_audited(client, db, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-Long-pass-2026",
            "password2": "a-Long-pass-2026",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.signed_up")
    assert event.actor.email == "new@example.com"


def test_password_change_is_audited(client, db):
    user = UserFactory(email="pat@example.com")
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "pw-Liaison-2026",
            "password1": "another-Long-pass-2026",
            "password2": "another-Long-pass-2026",
        },
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.password_changed", actor=user).count() == 1
