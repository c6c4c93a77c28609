"""Which procedure versions carry fee items, known without a query on the busy path.

The lifecycle subscriber (dues.on_event) runs in every reception's transaction, whose
statements are counted and pinned (dossiers/tests/test_transition_queries.py, decision
0010): most procedures carry no fee, and asking the database each time would add a read to
every transition. The set of priced versions is read once and kept for `TTL` seconds; a
change of fee items in this process forgets it at once (FeeItem.save/delete), another
process sees it within `TTL`. A dossier received in that window without its request gets
it from the cashier's page ("compute what is owed", dues.compute_request).
"""

import time

TTL = 30.0

_cache: tuple[float, frozenset[int]] | None = None


def priced_versions() -> frozenset[int]:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > TTL:
        from .models import FeeItem

        found = FeeItem.objects.values_list("version_id", flat=True).distinct()
        _cache = (now, frozenset(found))
    return _cache[1]


def forget() -> None:
    """Read the priced versions again at the next question (fee items changed)."""
    global _cache
    _cache = None
