"""Who is asking: the client address that per-address limits count against.

REMOTE_ADDR is the peer of the app server. Behind nginx (or any reverse proxy) that peer is
the proxy, so every citizen would share one counter: set MOTCUA_TRUSTED_PROXY_COUNT to the
number of proxies in front of the app, each of which appends the address it saw to
X-Forwarded-For; the client is then the entry that many places from the right. Entries
further left are written by the client and are never trusted. With the default 0 the
header is ignored, because anyone can send it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    proxies = getattr(settings, "MOTCUA_TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def client_ip(request: HttpRequest) -> str | None:
    """`client_address` when it is an IP address, else None: for records whose column is an
    address (django-axes' sign-in records; PostgreSQL's inet refuses anything else), e.g.
    behind a Unix socket with no forwarded entry, where REMOTE_ADDR is empty."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
