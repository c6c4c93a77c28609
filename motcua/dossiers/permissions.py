"""Which dossiers a staff member may see or act on.

A dossier is visible to staff of the agency that received it, of the competent agency, of
every agency that has a step in it (inter-agency processing) and of every agency asked for its
opinion (Decree 61/2018 art. 19.5: it answers on the dossier), each within the agencies their
memberships cover (organisations.permissions). Outside that, a fetch answers 404 so that the
existence of a dossier is not revealed.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.organisations import permissions
from motcua.organisations.roles import Capability

from .models import Consultation, Dossier, DossierStep

STAFF_CAPABILITIES = (
    Capability.RECEIVE_DOSSIER,
    Capability.PROCESS_DOSSIER,
    Capability.ASSIGN_DOSSIER,
    Capability.APPROVE_DOSSIER,
    Capability.VIEW_DOSSIERS,
)


def visible_agency_ids(user) -> set[int] | None:
    """Agencies whose dossiers `user` may see; None = all (system administrators)."""
    return permissions.agency_ids_for_any(user, STAFF_CAPABILITIES)


def dossiers_for(user) -> QuerySet[Dossier]:
    ids = visible_agency_ids(user)
    if ids is None:
        return Dossier.objects.all()
    if not ids:
        return Dossier.objects.none()
    # The steps as a subquery, not a join: no duplicates to remove (DISTINCT over the
    # dossier's columns), and PostgreSQL plans it in ~1 ms instead of 10-36 ms with the page's
    # select_related (decision record 0008, measured under load).
    with_step = DossierStep.objects.filter(agency__in=ids).values("dossier_id")
    consulted = Consultation.objects.filter(to_agency__in=ids).values("dossier_id")
    return Dossier.objects.filter(
        Q(receiving_agency__in=ids)
        | Q(competent_agency__in=ids)
        | Q(pk__in=with_step)
        | Q(pk__in=consulted)
    )


def get_dossier_for(user, code: str, *, write: bool = False) -> Dossier:
    """The dossier `code` if `user` may see it (and, with write=True, lock it for a change);
    404 otherwise. Services still check each action against the permission policy (policy.py)."""
    queryset = dossiers_for(user).select_related(
        "procedure",
        "procedure_version",
        "receiving_agency",
        "competent_agency",
        "reception_point",
        "received_by",
    )
    try:
        dossier = queryset.get(code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if write:
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    return dossier


# --- The applicant's own dossiers (the citizen portal) --------------------------------------


def applicant_dossiers(id_type: str, id_number: str) -> QuerySet[Dossier]:
    """The dossiers filed for the person with this verified identity (a citizen account's
    number comes from the national identity provider, never typed): online and at a counter
    alike. Nobody else's; nothing for an empty number."""
    if not id_number:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_id_type=id_type, applicant_id_number=id_number)


def get_applicant_dossier(id_type: str, id_number: str, code: str) -> Dossier:
    """Dossier `code` if it is the person's; 404 otherwise (the same answer for a dossier
    that does not exist and for someone else's)."""
    found = applicant_dossiers(id_type, id_number).select_related(
        "procedure", "procedure_version", "receiving_agency", "competent_agency"
    )
    try:
        return found.get(code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def account_dossiers(account) -> QuerySet[Dossier]:
    """The dossiers of a portal account (accounts.CitizenAccount): with a verified identity,
    all those filed for its number; a local account's number is only its holder's word, so
    only those it filed itself online."""
    if getattr(account, "identity_verified", True):
        return applicant_dossiers(account.id_type, account.id_number)
    return Dossier.objects.filter(filed_by_id=account.user_id)


def get_account_dossier(account, code: str) -> Dossier:
    """Dossier `code` if it is the account's; 404 otherwise."""
    found = account_dossiers(account).select_related(
        "procedure", "procedure_version", "receiving_agency", "competent_agency"
    )
    try:
        return found.get(code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None
