"""Per-address limits of the public doors (the kiosk's tickets, the bookings), counted in the
database by throttle: every process shares them."""

from django.http import HttpRequest

from motcua.throttle import services as throttle
from motcua.throttle.clients import client_address

from . import conf


def _allowed(request: HttpRequest, name: str, limit: int, window: int) -> bool:
    if not limit:
        return True
    key = f"queue:{name}:{client_address(request)}"
    return throttle.hit(key, limit=limit, window_seconds=window)


def may_take_ticket(request: HttpRequest) -> bool:
    limit, window = conf.ticket_limit()
    return _allowed(request, "ticket", limit, window)


def may_book(request: HttpRequest) -> bool:
    limit, window = conf.booking_limit()
    return _allowed(request, "booking", limit, window)
