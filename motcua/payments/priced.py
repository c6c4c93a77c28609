"""Whether a procedure version carries fee items, asked in the transition's transaction.

The lifecycle subscriber (dues.on_event) runs in the transaction of every reception, online
submission, supplement and result: it asks once, by the version's index, whether anything may
be owed (one short statement, counted in the pinned query budgets of
dossiers/tests/test_transition_queries.py). An earlier per-process cache saved that statement
but let a fee item added in another process go unseen for up to 30 seconds, and a dossier
received in that window owed nothing; the statement is the price of being exact.
"""


def is_priced(version_id: int) -> bool:
    from .models import FeeItem

    return FeeItem.objects.filter(version_id=version_id).exists()
