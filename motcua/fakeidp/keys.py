"""The fake provider's signing key: RSA, made at first use and kept in the database (so that
every server process signs with the same key), published as a JWKS. PyJWT and cryptography
do the cryptography (the libraries mozilla-django-oidc itself verifies with)."""

import json
import secrets
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from .models import SigningKey


def _new_private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def signing_key() -> SigningKey:
    """The current key; the first call makes it (two processes racing keep the first)."""
    key = SigningKey.objects.order_by("created_at", "pk").first()
    if key:
        return key
    try:
        with transaction.atomic():
            return SigningKey.objects.create(kid="fake-1", private_pem=_new_private_pem())
    except IntegrityError:
        return SigningKey.objects.get(kid="fake-1")


def sign(claims: dict[str, Any], *, forged: bool = False) -> str:
    """An RS256 JWT of `claims`; `forged` signs with a throwaway key under the same kid, for
    the client's bad-signature refusal."""
    key = signing_key()
    pem = _new_private_pem() if forged else key.private_pem
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": key.kid})


def verify(token: str, *, audience: list[str]) -> dict[str, Any]:
    """The claims of a token this provider signed (expiry not checked: a logout hint may be
    an old id_token); jwt.PyJWTError otherwise."""
    private = serialization.load_pem_private_key(signing_key().private_pem.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return jwt.decode(
        token,
        private.public_key(),
        algorithms=["RS256"],
        audience=audience,
        options={"verify_exp": False},
    )


def jwks() -> dict[str, Any]:
    key = signing_key()
    private = serialization.load_pem_private_key(key.private_pem.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    return {"keys": [jwk | {"kid": key.kid, "alg": "RS256", "use": "sig"}]}


def random_token() -> str:
    return secrets.token_urlsafe(32)
