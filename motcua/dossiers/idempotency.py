"""Requests that create, made safe to retry (issue 11 §2.2).

When the connection drops after the commit, the clerk (or the integration) cannot know
whether the dossier was created and sends again; without a key, the retry creates a second
dossier under a new code. A request that carries a key (the API's `Idempotency-Key` header,
the intake form's hidden token) is recorded with what it answered, in the same transaction
as what it created: a retry with the same key by the same user gets the first answer, and
the same key sent with another request is refused (`idempotency_key_reused`). Nothing is
recorded for a refused request: after an error, the retry runs again.

Concurrent requests with the same key: the key's row is inserted first, so the second one
waits on the unique constraint until the first commits (PostgreSQL) or waits to begin at all
(SQLite's IMMEDIATE transactions), then answers the replay. Keys are kept `KEPT_FOR`; a
user's expired keys are removed when they send the next one.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DossierError
from .models import Dossier, IdempotencyKey

KEPT_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Answer:
    """What a request that created something answered: its HTTP status, its body, and the
    dossier it is about."""

    status: int
    body: Any
    dossier: Dossier | None


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    replayed: bool


def fingerprint(*parts: str | bytes) -> str:
    """sha256 of the parts of a request, kept apart from one another."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def canonical_json(body: bytes) -> bytes:
    """The same JSON however it was spaced or its keys ordered (the body as sent, if it is
    not JSON)."""
    try:
        value = json.loads(body or b"null")
    except ValueError:
        return body
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise DossierError(
            "invalid_idempotency_key",
            _("An idempotency key is 1 to 255 printable ASCII characters."),
            status=422,
        )
    return key


@transaction.atomic
def once(*, user, key: str, fingerprint: str, create: Callable[[], Answer]) -> Outcome:
    """Run `create` unless `user` already sent `key`: then the first answer, replayed.
    `create` runs in this transaction, so the dossier and its key commit together."""
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - KEPT_FOR).delete()
    claimed = _claim(user, check_key(key), fingerprint, now)
    if claimed is None:
        return Outcome(_first_answer(user, key, fingerprint), replayed=True)
    answer = create()
    claimed.response_status, claimed.response_body = answer.status, answer.body
    claimed.dossier = answer.dossier
    claimed.save(update_fields=["response_status", "response_body", "dossier"])
    return Outcome(answer, replayed=False)


def _claim(user, key: str, fingerprint: str, now) -> IdempotencyKey | None:
    """The key's row, inserted now; None when the user has sent this key already."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, created_at=now
            )
    except IntegrityError:
        return None


def _first_answer(user, key: str, fingerprint: str) -> Answer:
    first = IdempotencyKey.objects.select_related("dossier").get(user=user, key=key)
    if first.fingerprint != fingerprint:
        raise DossierError(
            "idempotency_key_reused",
            _("This idempotency key was already used for another request."),
            status=422,
        )
    return Answer(first.response_status, first.response_body, first.dossier)
