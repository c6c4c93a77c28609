"""The demo's ratings and feedback (seed_demo_feedback, run by seed_demo): ratings of
returned dossiers on several channels and levels, items in every state with published
answers, and nothing added by a second run."""

from collections import Counter
from io import StringIO

from django.core.management import call_command

from motcua.audit.models import AuditEvent
from motcua.feedback.models import Feedback, Rating

S = Feedback.State


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_rates_returned_dossiers_and_fills_the_register(db):
    output = seed("--dossiers", "--history", "120")
    ratings = Rating.objects.select_related("dossier")
    assert ratings.count() > 5
    assert all(r.dossier.returned_at is not None for r in ratings)
    assert len({r.channel for r in ratings}) >= 3
    assert len({r.level for r in ratings}) >= 2
    assert len({r.created_at.date().replace(day=1) for r in ratings}) >= 2  # over months
    states = Counter(Feedback.objects.values_list("state", flat=True))
    assert len(Feedback.objects.all()) == 12
    assert states[S.PUBLISHED] == 3
    assert {S.RECEIVED, S.CLASSIFIED, S.REFUSED, S.FORWARDED, S.SUPPLEMENT_REQUESTED} <= set(states)
    assert {S.HANDLING, S.ANSWERED, S.AWAITING_PUBLICATION} <= set(states)
    published = Feedback.objects.filter(state=S.PUBLISHED)
    assert all("0912345678" not in f.public_body for f in published)  # redacted
    assert {f.sender_liked for f in published} == {True, False, None}
    assert "Feedback items: 12 added" in output

    events = AuditEvent.objects.count()
    counts = (Rating.objects.count(), Feedback.objects.count())
    again = seed("--dossiers", "--history", "120")
    assert (Rating.objects.count(), Feedback.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    assert "Ratings: 0 added. Feedback items: 0 added, 12 there already." in again


def test_without_dossiers_the_register_is_still_filled(db):
    assert "Ratings: 0 added" in seed()
    assert Feedback.objects.count() == 12
