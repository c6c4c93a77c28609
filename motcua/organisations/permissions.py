"""Who may see and touch which agency's objects.

Every door (admin, pages, API, commands) asks these accessors; none re-implements the rule.
A membership in an agency covers that agency and every agency below it (its children and
their children), so a provincial centre supervisor sees the departments and communes under
the provincial committee when the centre is placed there.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from .models import Agency, Membership
from .roles import ADMIN_CAPABILITIES, Capability, Role, role_grants


def is_system_admin(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.active().filter(user=user, role=Role.SYSTEM_ADMIN).exists()


def _with_descendants(agency_ids: set[int]) -> set[int]:
    found = set(agency_ids)
    frontier = set(agency_ids)
    while frontier:
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        )
        found |= frontier
    return found


def agency_ids_for(user, capability: str) -> set[int] | None:
    """Ids of the agencies where `user` holds `capability`; None means every agency."""
    return agency_ids_for_any(user, (capability,))


def agency_ids_for_any(user, capabilities) -> set[int] | None:
    """Ids of the agencies where `user` holds at least one of `capabilities` (None: all).

    One query for the memberships (which also tells a system administrator), then one per
    level of the agency tree below them."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    rows = Membership.objects.active().filter(user=user).values_list("agency_id", "role")
    direct = set()
    for agency_id, role in rows:
        if role == Role.SYSTEM_ADMIN:
            return None
        if any(role_grants(role, capability) for capability in capabilities):
            direct.add(agency_id)
    return _with_descendants(direct)


def agencies_for(user, capability: str):
    ids = agency_ids_for(user, capability)
    if ids is None:
        return Agency.objects.all()
    return Agency.objects.filter(id__in=ids)


def can(user, capability: str, agency: Agency | int | None = None) -> bool:
    """Does `user` hold `capability`, in `agency` if given, or anywhere otherwise."""
    ids = agency_ids_for(user, capability)
    if ids is None:
        return True
    if agency is None:
        return bool(ids)
    agency_id = agency if isinstance(agency, int) else agency.pk
    return agency_id in ids


def holds_anywhere(user, capabilities) -> bool:
    """Does `user` hold one of `capabilities` in some agency? For menus: one query per
    request (the roles are kept on the user object); pages still check the agencies."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = getattr(user, "_active_roles", None)
    if roles is None:
        rows = Membership.objects.active().filter(user=user).values_list("role", flat=True)
        roles = user._active_roles = frozenset(rows)
    if Role.SYSTEM_ADMIN in roles:
        return True
    return any(role_grants(role, c) for role in roles for c in capabilities)


def get_agency_for(user, pk: int, *, capability: str = Capability.VIEW_DOSSIERS) -> Agency:
    """The agency `pk` if `user` holds `capability` there; 404 otherwise (no existence leak)."""
    try:
        return agencies_for(user, capability).get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_use_admin(user) -> bool:
    return any(can(user, capability) for capability in ADMIN_CAPABILITIES)
