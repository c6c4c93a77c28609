"""A fake SMS gateway for the crash test (test_crash_delivery.py), installed only by its
settings (crash_settings.py): every receipt of a dossier notifies the applicant through the
outbox (dossiers.lifecycle.after_commit), and the consumer "sends" it to a gateway that is a
SQLite file of its own (MOTCUA_FAKE_GATEWAY), outside motcua's database, as a real gateway
would be.

Like a real gateway honouring an idempotency key, it records every call (`attempts`) but
sends each key once (`sent`, the key its primary key): the consumer is idempotent, so a
second delivery of a message sends nothing more. MOTCUA_FAKE_GATEWAY_FAILURES is the share
of calls refused with an error before anything is sent (retries, backoff).
"""

import os
import random
import sqlite3
import time

from django.apps import AppConfig

TOPIC = "test.notify_received"


class GatewayDown(ConnectionError):
    pass


def _gateway() -> sqlite3.Connection:
    connection = sqlite3.connect(os.environ["MOTCUA_FAKE_GATEWAY"], timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS attempts (key TEXT, pid INTEGER)")
    connection.execute("CREATE TABLE IF NOT EXISTS refused (key TEXT, pid INTEGER)")
    connection.execute("CREATE TABLE IF NOT EXISTS sent (key TEXT PRIMARY KEY, pid INTEGER)")
    return connection


def send(message) -> None:
    """The consumer: an SMS to the applicant, once per message key. It lingers a moment
    after sending (MOTCUA_FAKE_GATEWAY_DELAY), as a reply over a network does: a worker
    killed then has sent the message without marking it delivered."""
    failures = float(os.environ.get("MOTCUA_FAKE_GATEWAY_FAILURES", "0"))
    gateway = _gateway()
    try:
        call = (message.key, os.getpid())
        with gateway:  # each `with` is a transaction, committed on the way out
            gateway.execute("INSERT INTO attempts VALUES (?, ?)", call)
        if random.random() < failures:  # noqa: S311 - a test's dice
            with gateway:
                gateway.execute("INSERT INTO refused VALUES (?, ?)", call)
            raise GatewayDown("the gateway answered 503")
        with gateway:
            gateway.execute("INSERT OR IGNORE INTO sent VALUES (?, ?)", call)
    finally:
        gateway.close()
    time.sleep(float(os.environ.get("MOTCUA_FAKE_GATEWAY_DELAY", "0")))


class FakeGatewayConfig(AppConfig):
    name = "motcua.outbox.tests"
    label = "fake_gateway"

    def ready(self) -> None:
        from motcua.dossiers import lifecycle
        from motcua.dossiers.status import Action

        lifecycle.after_commit(TOPIC, send, actions={Action.RECEIVE})
