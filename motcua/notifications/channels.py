"""The channels: how one notice leaves motcua. Each `send` returns the provider's
reference, or raises `Refused` (no retry will change the answer: the notice is refused) or
any other exception (the outbox retries the message later, with backoff).

Every request carries the notice's key (`key`): a provider that honours one sends a notice
once even when motcua asks twice (a worker that died between the sending and its record).
"""

import json
import sys
import urllib.error
import urllib.request
from smtplib import SMTPRecipientsRefused
from string import Template
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import conf
from .models import Channel
from .rendering import Rendered


class Refused(Exception):
    """The provider refused this notice for good (a 4xx answer, an unknown number)."""


class Unavailable(Exception):
    """The provider could not take the notice now (5xx, 408/429, a timeout): retried."""


RETRIED_4XX = frozenset({408, 409, 423, 425, 429})


def send(channel: str, to: str, rendered: Rendered, *, key: str, extra_headers=None) -> str:
    if channel == Channel.CONSOLE:
        return console(to, rendered, key=key)
    if channel == Channel.EMAIL:
        return email(to, rendered, key=key, headers=extra_headers or {})
    if channel == Channel.SMS:
        return HttpSms(conf.sms()).send(to, rendered.sms, key=key)
    if channel == Channel.ZALO:
        return zalo(to, rendered, key=key)
    raise Refused(f"unknown channel {channel!r}")


def console(to: str, rendered: Rendered, *, key: str) -> str:
    """Development: the notice printed on the worker's standard output."""
    sys.stdout.write(
        f"--- notice {key} to {to}\n{rendered.subject}\n\n{rendered.body}\n"
        f"SMS: {rendered.sms}\n---\n"
    )
    sys.stdout.flush()
    return key


def email(to: str, rendered: Rendered, *, key: str, headers: dict[str, str]) -> str:
    """Through Django's mail framework (EMAIL_BACKEND, or MOTCUA_NOTIFY_EMAIL_BACKEND). The
    Message-ID is made from the key: the same notice sent twice has the same id."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "motcua"
    message_id = f"<{key.replace(':', '.')}@{domain}>"
    connection = get_connection(conf.email_backend(), timeout=conf.timeout())
    message = EmailMessage(
        rendered.subject,
        rendered.body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"Message-ID": message_id, **headers},
        connection=connection,
    )
    try:
        message.send()
    except SMTPRecipientsRefused as error:
        raise Refused(f"the mail server refused {to}: {error.recipients}") from error
    return message_id


def _call(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=conf.timeout()) as response:  # noqa: S310
            return response.status, response.read(65536)
    except urllib.error.HTTPError as error:
        body = error.read(2000).decode("utf-8", "replace")
        if 400 <= error.code < 500 and error.code not in RETRIED_4XX:
            raise Refused(f"HTTP {error.code}: {body}") from error
        raise Unavailable(f"HTTP {error.code}: {body}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise Unavailable(f"{request.full_url}: {error}") from error


class HttpSms:
    """A generic HTTP SMS gateway (telcos and brandname resellers differ): `url`, `method`
    (POST, or GET with the values in the url), `auth_header` ("Name: value"), `body` and
    `content_type`. `url` and `body` are string.Template texts with $phone, $text, $key and
    $sender: in a JSON body each value is a JSON string (quotes included), in a form body
    or a url it is percent-encoded."""

    def __init__(self, options: dict[str, Any]):
        if not options.get("url"):
            raise Unavailable("MOTCUA_NOTIFY_SMS has no url: the SMS channel is not set up")
        self.url = str(options["url"])
        self.method = str(options.get("method", "POST")).upper()
        self.auth_header = str(options.get("auth_header", ""))
        self.content_type = str(options.get("content_type", "application/json"))
        self.body = str(
            options.get("body", '{"to": $phone, "text": $text, "id": $key, "from": $sender}')
        )
        self.sender = str(options.get("sender", ""))

    def send(self, phone: str, text: str, *, key: str) -> str:
        values = {"phone": phone, "text": text, "key": key, "sender": self.sender}
        encoded = {k: quote(v, safe="") for k, v in values.items()}
        url = Template(self.url).safe_substitute(encoded)
        data = None
        headers = {}
        if self.method != "GET":
            if "json" in self.content_type:
                literal = {k: json.dumps(v, ensure_ascii=False) for k, v in values.items()}
                data = Template(self.body).substitute(literal).encode()
            else:
                data = Template(self.body).substitute(encoded).encode()
            headers["Content-Type"] = self.content_type
        if self.auth_header:
            name, _, value = self.auth_header.partition(":")
            headers[name.strip()] = value.strip()
        request = urllib.request.Request(url, data=data, headers=headers, method=self.method)
        status, body = _call(request)
        return f"HTTP {status} {body[:200].decode('utf-8', 'replace')}".strip()


def zalo(phone: str, rendered: Rendered, *, key: str) -> str:
    """Zalo ZNS: an approved template to a phone number, no follow needed. Zalo answers 200
    with `error` 0 when it took the message; another code is refused (conf.ZNS_REFUSALS) or
    retried."""
    if not rendered.zalo_template_id:
        raise Refused("this notice has no Zalo ZNS template")
    options = conf.zalo()
    if not options.get("access_token"):
        raise Unavailable("MOTCUA_NOTIFY_ZALO has no access token")
    body = {
        "phone": phone,
        "template_id": rendered.zalo_template_id,
        "template_data": rendered.zalo_data,
        "tracking_id": key,
    }
    request = urllib.request.Request(
        options["url"],
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "access_token": options["access_token"]},
        method="POST",
    )
    _, raw = _call(request)
    try:
        answer = json.loads(raw)
    except ValueError as error:
        raise Unavailable(f"Zalo answered what is not JSON: {raw[:200]!r}") from error
    code = answer.get("error")
    if code == 0:
        return str((answer.get("data") or {}).get("msg_id", ""))
    text = f"Zalo error {code}: {answer.get('message', '')}"
    if code in {int(c) for c in options.get("refusals", ())}:
        raise Refused(text)
    raise Unavailable(text)
