"""Which agency resolves a dossier received at a given agency.

Rules: the receiving agency itself when it implements the procedure; a service centre
(provincial or commune) receives for the agencies of its province (Decree 61/2018 art. 3.3,
art. 7; Decree 118/2025 art. 7); a boundary-independent procedure can be received at any
one-stop section of the province and is routed to the competent agency (Decree 118/2025, as
quoted in domain.md §1.2).
"""

from django.utils.translation import gettext as _

from motcua.catalogue.models import ProcedureVersion
from motcua.organisations.models import AdministrativeUnit, Agency

from .errors import DossierError

CENTRES = {Agency.Kind.PROVINCIAL_SERVICE_CENTRE, Agency.Kind.COMMUNE_SERVICE_CENTRE}


def province_of(agency: Agency) -> int:
    unit = agency.unit
    return unit.pk if unit.kind == AdministrativeUnit.Kind.PROVINCE else unit.parent_id


def may_receive_for(receiving: Agency, competent: Agency, version: ProcedureVersion) -> bool:
    if receiving.pk == competent.pk:
        return True
    same_province = province_of(receiving) == province_of(competent)
    return same_province and (receiving.kind in CENTRES or version.boundary_independent)


def resolve_competent_agency(
    version: ProcedureVersion, receiving: Agency, requested: Agency | None
) -> Agency:
    if requested is None:
        through = ProcedureVersion.implementing_agencies.through.objects
        ids = list(
            through.filter(procedureversion_id=version.pk).values_list("agency_id", flat=True)
        )
        if not ids or receiving.pk in ids:
            return receiving  # the common case: one read of the ids only
    implementing = list(version.implementing_agencies.select_related("unit"))
    if requested is None:
        candidates = [a for a in implementing if may_receive_for(receiving, a, version)]
        if len(candidates) != 1:
            raise DossierError(
                "competent_agency_required",
                _("Choose the agency that resolves this dossier."),
            )
        requested = candidates[0]
    if implementing and requested not in implementing:
        raise DossierError(
            "agency_not_competent", _("This agency does not carry out this procedure.")
        )
    if not may_receive_for(receiving, requested, version):
        raise DossierError(
            "outside_competence",
            _("This reception point cannot receive dossiers for that agency."),
        )
    return requested


def catalogue_scope(agencies: list[Agency]) -> int | None:
    """The agency whose procedures a counter offers, or None for the whole catalogue: a
    service centre, a clerk of several agencies or a boundary-independent reception point
    may receive for others (see may_receive_for); a single ordinary agency receives its own."""
    if len(agencies) == 1 and agencies[0].kind not in CENTRES:
        return agencies[0].pk
    return None
