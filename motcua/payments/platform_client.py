"""Sending INIT, QUERY and GET_BILL to the national payment platform (platform.py builds
them). Every call has a timeout; a network failure, a non-2xx status or an answer that is not
the platform's shape is `PlatformUnavailable`, and the caller leaves the attempt for the next
query (online.py): nothing is decided on a missing answer."""

import json
import logging
from datetime import datetime
from typing import Any

import requests

from . import platform
from .platform import Merchant, Notice

logger = logging.getLogger(__name__)


class PlatformUnavailable(Exception):
    """No usable answer from the platform (down, slow, refused, or not its shape)."""


def _post(merchant: Merchant, message: dict[str, Any]) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if merchant.token:
        headers["Authorization"] = f"Bearer {merchant.token}"
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    try:
        response = requests.post(
            merchant.endpoint, data=body, headers=headers, timeout=merchant.timeout
        )
    except requests.RequestException as error:
        logger.warning("payment platform unreachable: %s", error.__class__.__name__)
        raise PlatformUnavailable(str(error)) from error
    if not response.ok:
        raise PlatformUnavailable(f"HTTP {response.status_code}")
    return response


def _answer(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise PlatformUnavailable("the answer is not JSON") from None
    if not isinstance(data, dict) or str(data.get("error_code")) != "0":
        code = data.get("error_code") if isinstance(data, dict) else None
        raise PlatformUnavailable(f"refused: error_code {code!r}")
    message = data.get("message")
    if not isinstance(message, dict):
        raise PlatformUnavailable("the answer has no message")
    return message


def init(merchant: Merchant, **fields: Any) -> str:
    """INIT; the address the citizen pays at (UrlThanhToan)."""
    message = platform.init_message(merchant, **fields)
    url = _answer(_post(merchant, message)).get("UrlThanhToan")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise PlatformUnavailable("the answer has no payment address")
    return url


def query(merchant: Merchant, reference: str, *, at: datetime) -> tuple[Notice, str]:
    """QUERY: what the platform knows of `reference`, and the answer's text (kept)."""
    message = platform.query_message(merchant, kind="QUERY", reference=reference, at=at)
    response = _post(merchant, message)
    return platform.read_query_answer(_answer(response), reference), response.text


def get_bill(merchant: Merchant, reference: str, *, at: datetime) -> bytes:
    """GET_BILL: the platform's receipt of a paid reference, as PDF bytes."""
    message = platform.query_message(merchant, kind="GET_BILL", reference=reference, at=at)
    response = _post(merchant, message)
    if not response.content.startswith(b"%PDF"):
        raise PlatformUnavailable("the bill is not a PDF")
    return response.content
