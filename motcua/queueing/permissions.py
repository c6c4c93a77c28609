"""Who may use which counter and see which point's figures (404 outside one's agencies)."""

from django.http import Http404

from motcua.organisations import permissions
from motcua.organisations.roles import Capability

from .models import QueueCounter, ServicePoint

FIGURE_READERS = (Capability.RECEIVE_DOSSIER, Capability.VIEW_REPORTS, Capability.SUPERVISE)


def counters_for(user):
    counters = QueueCounter.objects.select_related("counter", "point__reception_point", "officer")
    ids = permissions.agency_ids_for(user, Capability.RECEIVE_DOSSIER)
    if ids is None:
        return counters
    return counters.filter(point__reception_point__agency_id__in=ids)


def get_counter_for(user, pk: int) -> QueueCounter:
    counter = counters_for(user).filter(pk=pk).first()
    if counter is None:
        raise Http404
    return counter


def points_for(user):
    points = ServicePoint.objects.select_related("reception_point")
    ids = permissions.agency_ids_for_any(user, FIGURE_READERS)
    if ids is None:
        return points
    return points.filter(reception_point__agency_id__in=ids)


def get_point_for(user, slug: str) -> ServicePoint:
    point = points_for(user).filter(slug=slug).first()
    if point is None:
        raise Http404
    return point
