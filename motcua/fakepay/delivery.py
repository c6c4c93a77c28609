"""Sending the callbacks the fake platform owes, over HTTP to the merchant's confirm address
(MOTCUA_PUBLIC_URL + the payments' callback path), each once, in their order."""

import json
import logging

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import FakeCallback

logger = logging.getLogger(__name__)


def callback_url() -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("online_payments:platform-confirm")


def send_due(transaction_id: int | None = None) -> int:
    """Send the callbacks whose time has come (of one transaction, or all); how many."""
    due = FakeCallback.objects.filter(sent_at__isnull=True, due_at__lte=timezone.now())
    if transaction_id is not None:
        due = due.filter(transaction_id=transaction_id)
    sent = 0
    for cb in list(due.order_by("due_at", "id")):
        claimed = FakeCallback.objects.filter(pk=cb.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if claimed:
            cb.status = _post(cb.body)
            FakeCallback.objects.filter(pk=cb.pk).update(status=cb.status)
            sent += 1
    return sent


def _post(body: dict) -> int | None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    try:
        answer = requests.post(
            callback_url(), data=data, headers={"Content-Type": "application/json"}, timeout=10
        )
    except requests.RequestException as error:
        logger.warning("fake platform: callback not delivered: %s", error)
        return None
    return answer.status_code
