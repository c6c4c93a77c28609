"""Two devices (or a double tap arriving on two workers) rating the same dossier at the same
moment make one rating; two clerks acting on the same item at once apply it once (real
threads and connections; PostgreSQL, where writers really run in parallel)."""

import threading

import pytest
from django.db import connection, connections

from motcua.feedback import register
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Channel, Feedback, Rating
from motcua.feedback.ratings import Given, record_rating

WORKERS = 4


def _race(work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(WORKERS)

    def run(index):
        barrier.wait()
        try:
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ratings_make_one(finished):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    dossier = finished()
    errors = _race(lambda i: record_rating(dossier=dossier, channel=Channel.DEVICE, given=Given(4)))
    assert not errors
    assert Rating.objects.filter(dossier=dossier).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_refusals_apply_once(centre, centre_clerk):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    sub = register.Submission(
        source="phone",
        agency=centre,
        sender=register.Sender("Phạm Thị Hoa", "12 Trần Phú", "0903123456"),
        subject="rule",
        title="T",
        body="B",
    )
    item, _created = register.receive_feedback(sub)
    errors = _race(
        lambda i: register.refuse_feedback(
            Feedback.objects.get(pk=item.pk),
            actor=centre_clerk,
            reason=f"Lý do {i}",
            seen_state="received",
        )
    )
    assert len(errors) == WORKERS - 1
    assert all(isinstance(e, FeedbackError) and e.code == "state_changed" for e in errors)
    from motcua.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="feedback.refuse").count() == 1
