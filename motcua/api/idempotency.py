"""`Idempotency-Key` on the API's requests that create (dossiers.idempotency).

A request with the header is answered, and its answer recorded, in the transaction that
creates; a retry with the same key by the same user gets that answer again (same status and
body) with `Idempotent-Replayed: true`; the same key with another method, path or body is
refused (422 `idempotency_key_reused`). Without the header nothing changes.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from ninja import Header, Schema
from ninja import Status as HttpStatus

from motcua.dossiers import idempotency
from motcua.dossiers.models import Dossier

IdempotencyKey = Header[
    str | None,
    {
        "alias": "Idempotency-Key",
        "description": "Your own unique key for this request (1-255 printable ASCII "
        "characters, e.g. a UUID): sending it again, within 24 hours, answers the first "
        "result instead of creating again.",
    },
]
REPLAYED = "Idempotent-Replayed"


def request_fingerprint(request: HttpRequest, *parts: str | bytes) -> str:
    """What the request asks: method, path and body (JSON compared as values), or `parts`
    for a body that is not JSON (a multipart upload's boundary changes on every send)."""
    body = parts or (idempotency.canonical_json(request.body),)
    return idempotency.fingerprint("api", request.method or "", request.path, *body)


def created(
    request: HttpRequest,
    key: str | None,
    create: Callable[[], Any],
    *,
    render: Callable[[Any], Any],
    schema: type[Schema],
    fingerprint: str | None = None,
):
    """201 with `render(create())`, `create` in one transaction; once per key."""
    if key is None:
        with transaction.atomic():
            result = create()
        return HttpStatus(201, render(result))

    def answer() -> idempotency.Answer:
        result = create()
        body = schema.model_validate(render(result)).model_dump(mode="json")
        return idempotency.Answer(201, body, _dossier_of(result))

    outcome = idempotency.once(
        user=request.auth,
        key=key,
        fingerprint=fingerprint or request_fingerprint(request),
        create=answer,
    )
    response = JsonResponse(outcome.answer.body, status=outcome.answer.status, safe=False)
    if outcome.replayed:
        response[REPLAYED] = "true"
    return response


def _dossier_of(result: Any) -> Dossier | None:
    return result if isinstance(result, Dossier) else getattr(result, "dossier", None)
