"""The notifications' settings (motcua/settings.py reads them from the environment;
docs/notifications.md), read when used so that tests may override them."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import Channel


def channels() -> list[str]:
    """The channels notices go through. Unset: the console when DEBUG is on (development),
    none otherwise (a deployment names its channels once their providers are set)."""
    chosen = getattr(settings, "MOTCUA_NOTIFY_CHANNELS", None)
    if chosen is None:
        return [Channel.CONSOLE] if settings.DEBUG else []
    return [c for c in chosen if c in Channel.values]  # checks.py reports the others


def unknown_channels() -> list[str]:
    chosen = getattr(settings, "MOTCUA_NOTIFY_CHANNELS", None) or []
    return sorted(set(chosen) - set(Channel.values))


def timeout() -> float:
    return float(getattr(settings, "MOTCUA_NOTIFY_TIMEOUT", 10))


def max_age() -> timedelta:
    """An event older than this when recorded (history written at a past moment) is not
    notified: a notice is news, or nothing."""
    return timedelta(hours=float(getattr(settings, "MOTCUA_NOTIFY_MAX_AGE_HOURS", 24)))


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # across midnight

    def until(self, now: datetime) -> datetime | None:
        """When SMS may be sent again, if `now` is in the quiet hours (local time)."""
        local = timezone.localtime(now)
        if not self.contains(local.time().replace(tzinfo=None)):
            return None
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) >= self.start:
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=local.tzinfo)


def quiet_hours() -> QuietHours | None:
    """MOTCUA_NOTIFY_QUIET_HOURS, "21:00-07:00" by default (local time): SMS written then
    are sent at the end. Empty: no quiet hours."""
    text = getattr(settings, "MOTCUA_NOTIFY_QUIET_HOURS", "21:00-07:00")
    if not text:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ImproperlyConfigured("MOTCUA_NOTIFY_QUIET_HOURS must look like 21:00-07:00") from None
    return QuietHours(start, end) if start != end else None


def sms() -> dict[str, Any]:
    """The SMS gateway: MOTCUA_NOTIFY_SMS = {"url", "method", "auth_header", "body",
    "content_type", "sender"} (channels.HttpSms)."""
    return dict(getattr(settings, "MOTCUA_NOTIFY_SMS", {}) or {})


ZNS_URL = "https://business.openapi.zalo.me/message/template"
# Zalo's answers that no retry will change (the number has no Zalo account, cannot receive
# ZNS, is invalid): the notice is refused. Others (a token that expired, quota) are retried.
ZNS_REFUSALS = (-108, -118, -119)


def zalo() -> dict[str, Any]:
    """Zalo ZNS: MOTCUA_NOTIFY_ZALO = {"url", "access_token" or "access_token_file",
    "refusals"}. The token file is read at each sending, so that whatever refreshes the
    token (it lasts about a day) only rewrites the file."""
    values: dict[str, Any] = {"url": ZNS_URL, "refusals": ZNS_REFUSALS}
    configured = getattr(settings, "MOTCUA_NOTIFY_ZALO", {}) or {}
    values.update({name: value for name, value in configured.items() if value})
    path = values.get("access_token_file")
    if path and not values.get("access_token"):
        values["access_token"] = Path(path).read_text().strip()
    return values


def email_backend() -> str | None:
    """The e-mail backend of the notices (None: Django's EMAIL_BACKEND)."""
    return getattr(settings, "MOTCUA_NOTIFY_EMAIL_BACKEND", None) or None
