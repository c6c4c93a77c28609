"""Passwords are stored with Argon2; older PBKDF2 hashes still sign in and are rewritten.

The suite hashes with MD5 for speed (root conftest); these tests use the product's hashers."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from conftest import PASSWORD
from motcua import settings as product

LOGIN = reverse("backoffice:login")
NEW_PASSWORD = "Mat-khau-moi-2026!"


@pytest.fixture(autouse=True)
def _product_hashers(settings):
    settings.PASSWORD_HASHERS = product.PASSWORD_HASHERS


def test_the_product_hashes_with_argon2_first():
    assert product.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_new_password_set_in_the_admin_is_stored_with_argon2(client, system_admin, clerk):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    client.logout()
    signed_in = client.post(LOGIN, {"username": "clerk", "password": NEW_PASSWORD})

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.password.startswith("argon2$argon2id$")
    assert signed_in.status_code == 302


def test_an_older_pbkdf2_password_signs_in_and_is_rewritten_with_argon2(client, clerk):
    # As a deployment before Argon2 stored it (a low iteration count keeps the test fast).
    clerk.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt", iterations=1000)
    clerk.save(update_fields=["password"])

    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.password.startswith("argon2$")
    assert clerk.check_password(PASSWORD)
