"""API tokens: issue, check and revoke (architecture.md §4: `Authorization: Bearer <token>`).

A token is "mc_" + 43 URL-safe characters (256 random bits). The database keeps its SHA-256
and a short visible prefix to recognise it in lists. Checking a presented token is one
indexed lookup by that hash: the comparison happens on a digest the caller cannot steer, so
response times say nothing about stored tokens.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import record_event

from .models import ApiToken

TOKEN_PREFIX = "mc_"
VISIBLE_CHARS = 11
# last_used_at is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plain: str  # shown once, never stored


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def new_plain_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def fill_token(token: ApiToken) -> str:
    """Give an unsaved `token` a fresh secret (hash and prefix); returns the plain token."""
    plain = new_plain_token()
    token.key_hash = hash_token(plain)
    token.prefix = plain[:VISIBLE_CHARS]
    return plain


@transaction.atomic
def issue_token(user, *, name: str, expires_at: datetime | None = None, actor=None) -> IssuedToken:
    """A new token for `user`; the plain value is in the result and nowhere else."""
    token = ApiToken(user=user, name=name.strip(), expires_at=expires_at)
    plain = fill_token(token)
    token.save()
    record_event("apitoken.issued", token, actor=actor, user=user.get_username())
    return IssuedToken(token, plain)


@transaction.atomic
def revoke_token(token: ApiToken, *, actor=None) -> None:
    ApiToken.objects.filter(pk=token.pk).update(is_revoked=True)
    token.is_revoked = True
    record_event("apitoken.revoked", token, actor=actor)


def authenticate_token(plain: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token matching `plain` (with its user), or None if unknown, revoked,
    expired or belonging to an inactive user. Records the use, at most once a minute."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(plain)).first()
    if token is None or not token.is_usable(now):
        return None
    _touch(token, now)
    return token


def _touch(token: ApiToken, now: datetime) -> None:
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
