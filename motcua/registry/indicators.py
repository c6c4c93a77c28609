"""QĐ 766 group 4 inputs kept by the registry (capabilities.md §8.1): 4.3, dossiers that took
at least one document from the registry instead of paper, over the dossiers received."""

from django.db.models import QuerySet

from .models import Reuse


def reusing(received: QuerySet) -> int:
    """The dossiers of `received` that took a registered document instead of its paper."""
    return received.filter(pk__in=Reuse.objects.values("dossier_id")).count()


def figure_4_3(received: QuerySet) -> tuple[int, int]:
    """(dossiers of `received` reusing a registered document, dossiers of `received`)."""
    return reusing(received), received.count()
