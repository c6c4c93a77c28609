"""QĐ 766 group 4 inputs kept by the registry (capabilities.md §8.1): 4.3, dossiers that took
at least one document from the registry instead of paper, over the dossiers received."""

from django.db.models import QuerySet

from .models import Reuse


def figure_4_3(received: QuerySet) -> tuple[int, int]:
    """(dossiers of `received` reusing a registered document, dossiers of `received`)."""
    reusing = received.filter(pk__in=Reuse.objects.values("dossier_id")).count()
    return reusing, received.count()
