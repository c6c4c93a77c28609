"""Authorization codes and access tokens of the fake provider: signed, self-contained and
short-lived (django.core.signing), so that no table is needed. A real provider also refuses a
code used twice; this fake does not (development and tests only)."""

import time
from typing import Any

from django.core import signing

CODE_SECONDS = 60
ACCESS_TOKEN_SECONDS = 300
FAULTS = ("", "access_denied", "wrong_state", "expired_code", "bad_signature", "userinfo_down")


class GrantError(ValueError):
    pass


def issue(kind: str, payload: dict[str, Any], *, seconds: int) -> str:
    return signing.dumps(payload | {"exp": time.time() + seconds}, salt=f"fakeidp.{kind}")


def read(kind: str, value: str) -> dict[str, Any]:
    try:
        payload = signing.loads(value, salt=f"fakeidp.{kind}")
    except signing.BadSignature as error:
        raise GrantError(f"unknown {kind}") from error
    if payload["exp"] < time.time():
        raise GrantError(f"expired {kind}")
    return payload


def issue_code(**payload: Any) -> str:
    expired = payload.get("fault") == "expired_code"
    return issue("code", payload, seconds=-1 if expired else CODE_SECONDS)
