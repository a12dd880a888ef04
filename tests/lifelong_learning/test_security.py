"""Account safety: login throttling, password rules, CSP, session expiry."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_is_locked_after_repeated_failures_even_with_the_right_password(
    client, officer_a
):
    for _attempt in range(3):
        response = client.post(
            reverse("login"), {"username": officer_a.username, "password": "wrong"}
        )
    assert response.status_code == 429
    response = client.post(
        reverse("login"), {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_lockout_of_one_account_leaves_other_accounts_alone(
    client, officer_a, officer_b
):
    for _attempt in range(3):
        client.post(
            reverse("login"), {"username": officer_a.username, "password": "wrong"}
        )
    response = client.post(
        reverse("login"), {"username": officer_b.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_b.pk)


@pytest.mark.parametrize("password", ["1520", "password123", "12345678901"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_every_page_sends_a_content_security_policy_without_inline_script(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(
        part.strip().split(" ", 1) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_contain_no_inline_script(client, ministry_user):
    client.force_login(ministry_user)
    content = client.get(reverse("home")).content.decode()
    for chunk in content.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or 'type="application/json"' in tag


def test_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


PROXY = "10.0.0.2"  # the reverse proxy, as the application sees it


def _login(client, username, password, *, client_address, forged=""):
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_an_attacker_cannot_lock_the_owner_out(client, officer_a):
    for _attempt in range(5):
        # The attacker also forges an X-Forwarded-For entry of their own.
        _login(
            client,
            officer_a.username,
            "wrong",
            client_address="198.51.100.7",
            forged="203.0.113.5",
        )
    locked = _login(
        client, officer_a.username, TEST_PASSWORD, client_address="198.51.100.7"
    )
    assert locked.status_code == 429

    owner = _login(
        client, officer_a.username, TEST_PASSWORD, client_address="203.0.113.5"
    )

    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_a.pk)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_a_forwarded_header_is_ignored(client, officer_a):
    for index in range(3):
        # A client that changes its X-Forwarded-For still has one address.
        client.post(
            reverse("login"),
            {"username": officer_a.username, "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{index}",
        )
    response = client.post(
        reverse("login"),
        {"username": officer_a.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
