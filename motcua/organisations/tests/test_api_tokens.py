"""API tokens: made by the create_api_token command or in the admin, shown once, stored as
a hash, revocable."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.organisations.models import ApiToken
from motcua.organisations.tokens import authenticate_token, hash_token, issue_token

T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
TOKEN = re.compile(r"mc_[A-Za-z0-9_-]{43}")


def create(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@time_machine.travel(T0, tick=False)
def test_command_prints_the_token_once_and_stores_its_hash(specialist):
    out, err = create("specialist", "--name", "Kết nối DVCQG", "--days", "30")

    plain = out.strip()
    assert TOKEN.fullmatch(plain)
    token = ApiToken.objects.get()
    assert token.user == specialist and token.name == "Kết nối DVCQG"
    assert token.key_hash == hash_token(plain) and plain.startswith(token.prefix)
    assert token.expires_at == T0 + timedelta(days=30)
    assert plain not in err and token.prefix in err and "specialist" in err
    assert authenticate_token(plain) == token
    assert AuditEvent.objects.get(action="apitoken.issued").target_id == str(token.pk)


def test_command_without_days_makes_a_token_that_does_not_expire(specialist):
    create("specialist", "--name", "CI")

    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "No user named 'nobody'."),
        (["specialist", "--name", "x", "--days", "0"], "--days must be 1 or more."),
        (["specialist", "--name", "  "], "--name must not be empty."),
    ],
)
def test_command_refuses_bad_input(specialist, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        create(*args)
    assert not ApiToken.objects.exists()


def test_command_refuses_an_inactive_user(specialist):
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])

    with pytest.raises(CommandError, match="inactive"):
        create("specialist", "--name", "x")


def test_every_token_is_different(specialist):
    first = issue_token(specialist, name="a").plain
    second = issue_token(specialist, name="b").plain

    assert first != second
    assert ApiToken.objects.count() == 2


@pytest.fixture
def admin_client(client, system_admin):
    assert client.login(username="root", password=PASSWORD)
    return client


def test_admin_shows_the_new_token_once_after_saving(admin_client, specialist):
    response = admin_client.post(
        reverse("admin:organisations_apitoken_add"),
        {"user": specialist.pk, "name": "Kết nối DVCQG", "expires_at_0": "", "expires_at_1": ""},
    )

    assert response.status_code == 200, response.content
    page = response.content.decode()
    plain = TOKEN.search(page).group(0)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(plain) and token.user == specialist
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.get(action="apitoken.issued").actor.username == "root"
    # Afterwards, no page shows it again.
    listing = admin_client.get(reverse("admin:organisations_apitoken_changelist"))
    detail = admin_client.get(reverse("admin:organisations_apitoken_change", args=[token.pk]))
    assert token.prefix in listing.content.decode()
    assert plain not in listing.content.decode() and plain not in detail.content.decode()


def test_admin_revokes_selected_tokens(admin_client, specialist):
    issued = issue_token(specialist, name="old")

    admin_client.post(
        reverse("admin:organisations_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [issued.token.pk]},
    )

    issued.token.refresh_from_db()
    assert issued.token.is_revoked
    assert authenticate_token(issued.plain) is None
    assert AuditEvent.objects.filter(action="apitoken.revoked").count() == 1


def test_agency_administrators_cannot_manage_tokens(client, agency_admin):
    client.login(username=agency_admin.username, password=PASSWORD)

    response = client.get(reverse("admin:organisations_apitoken_changelist"))

    assert response.status_code == 403
