"""Who may see and take a dossier's payments.

Seeing: whoever may see the dossier (dossiers.permissions.get_dossier_for: 404 outside
one's agencies). Collecting, waiving and refunding: the one-stop section of the agency that
received the dossier, i.e. its receiving clerks (Decree 61/2018 art. 22: fees are paid where
the dossier is filed; arts. 17-18: the one-stop section receives), or a system administrator.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import get_dossier_for
from motcua.organisations import permissions
from motcua.organisations.models import Agency
from motcua.organisations.roles import Capability

from .errors import PaymentError

COLLECT = Capability.RECEIVE_DOSSIER


def may_collect(user, dossier: Dossier) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return permissions.can(user, COLLECT, dossier.receiving_agency_id)


def check_collect(user, dossier: Dossier) -> None:
    if not may_collect(user, dossier):
        raise PaymentError(
            "forbidden",
            _("Only a clerk of the receiving agency takes this dossier's payments."),
            status=403,
        )


def get_dossier_for_cashier(user, code: str) -> Dossier:
    """The dossier `code` if `user` may see it; 404 otherwise."""
    return get_dossier_for(user, code)


def collecting_agencies(user) -> QuerySet[Agency]:
    """The agencies whose counter takings `user` may list: where they receive dossiers."""
    ids = permissions.agency_ids_for(user, COLLECT)
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    return agencies.order_by("name")
