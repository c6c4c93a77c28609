"""Who may see and touch which agency's objects.

Every door (admin, pages, API, commands) asks these accessors; none re-implements the rule.
A membership in an agency covers that agency and every agency below it (its children and
their children), so a provincial centre supervisor sees the departments and communes under
the provincial committee when the centre is placed there.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from .actors import SYSTEM_CAPABILITIES, is_system
from .models import Agency, Membership
from .roles import (
    ADMIN_CAPABILITIES,
    DELEGABLE_ROLES,
    RESERVED_AGENCY_KINDS,
    Capability,
    Role,
    role_grants,
    roles_with,
)


def is_system_admin(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.active().filter(user=user, role=Role.SYSTEM_ADMIN).exists()


def _memberships(user) -> list[tuple[int, str]]:
    """The user's active (agency id, role) pairs, read once per user object: a request's
    user lives as long as the request, and a page asks several times (each queue, each
    check), so the request reads them once."""
    rows = getattr(user, "_active_memberships", None)
    if rows is None:
        found = Membership.objects.active().filter(user=user).values_list("agency_id", "role")
        rows = user._active_memberships = list(found)
    return rows


def _covered(user, direct: set[int]) -> set[int]:
    """`direct` with every agency below them, computed once per user object and set."""
    cache = user.__dict__.setdefault("_covered_agencies", {})
    key = frozenset(direct)
    if key not in cache:
        cache[key] = frozenset(_with_descendants(direct))
    return set(cache[key])


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
    level of the agency tree below them; both once per request (`_memberships`, `_covered`)."""
    if is_system(user):
        return None if SYSTEM_CAPABILITIES.intersection(capabilities) else set()
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    direct = set()
    for agency_id, role in _memberships(user):
        if role == Role.SYSTEM_ADMIN:
            return None
        if any(role_grants(role, capability) for capability in capabilities):
            direct.add(agency_id)
    return _covered(user, direct) if direct else set()


def agencies_for(user, capability: str):
    ids = agency_ids_for(user, capability)
    if ids is None:
        return Agency.objects.all()
    return Agency.objects.filter(id__in=ids)


@cache
def _roles_at_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    agency, member = Agency._meta, Membership._meta
    table, m_table = quote(agency.db_table), quote(member.db_table)
    a_id, parent = (quote(agency.get_field(n).column) for n in ("id", "parent"))
    id_type = agency.pk.rel_db_type(connection)
    active = quote(agency.get_field("is_active").column)
    user, at, role, department, m_active = (
        quote(member.get_field(n).column)
        for n in ("user", "agency", "role", "department", "is_active")
    )
    return (
        f"WITH RECURSIVE up(id) AS (SELECT CAST(%(agency)s AS {id_type}) UNION "
        f"SELECT a.{parent} FROM {table} a JOIN up ON a.{a_id} = up.id "
        f"WHERE a.{parent} IS NOT NULL) "
        f"SELECT m.{role}, m.{department} FROM {m_table} m "
        f"JOIN {table} ma ON ma.{a_id} = m.{at} "
        f"WHERE m.{user} = %(user)s AND m.{m_active} = %(true)s AND ma.{active} = %(true)s "
        f"AND (m.{at} IN (SELECT id FROM up) OR m.{role} = %(admin)s)"
    )


def roles_at(user, agency_id: int) -> list[tuple[str, int | None]]:
    """(role, department id) of `user`'s active memberships that cover `agency_id` (held
    there or at an agency above it), and of any system administrator membership: one
    statement, whatever the depth of the tree."""
    params = {"agency": agency_id, "user": user.pk, "true": True, "admin": Role.SYSTEM_ADMIN}
    with connection.cursor() as cursor:
        cursor.execute(_roles_at_sql(connection.vendor), params)
        return cursor.fetchall()


def grants(roles, capability: str) -> bool:
    """Do the (role, department) pairs of `roles_at` grant `capability`?"""
    return any(role == Role.SYSTEM_ADMIN or role_grants(role, capability) for role, _ in roles)


def can(user, capability: str, agency: Agency | int | None = None) -> bool:
    """Does `user` hold `capability`, in `agency` if given, or anywhere otherwise."""
    if is_system(user):  # the system actor (actors.py), in every agency
        return capability in SYSTEM_CAPABILITIES
    if agency is None:
        ids = agency_ids_for(user, capability)
        return ids is None or bool(ids)
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    agency_id = agency if isinstance(agency, int) else agency.pk
    return grants(roles_at(user, agency_id), capability)


def holds_anywhere(user, capabilities) -> bool:
    """Does `user` hold one of `capabilities` in some agency? For menus: one query per
    request (the roles are kept on the user object); pages still check the agencies."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = {role for _agency, role in _memberships(user)}
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


# --- Administration scope: whom an agency administrator may manage (docs/security.md) -----


@dataclass(frozen=True)
class AdminScope:
    """What `actor` may administer. `managed`: agencies where they hold MANAGE_AGENCY (with
    everything below); `below`: those strictly below an agency they administer; None: all
    (a system administrator)."""

    actor_id: int | None
    managed: frozenset[int] | None
    below: frozenset[int] | None

    @property
    def is_system(self) -> bool:
        return self.managed is None


def admin_scope(user) -> AdminScope:
    managed = agency_ids_for(user, Capability.MANAGE_AGENCY)
    if managed is None:
        return AdminScope(user.pk, None, None)
    direct = set(
        Membership.objects.active()
        .filter(user=user, role__in=roles_with(Capability.MANAGE_AGENCY))
        .values_list("agency_id", flat=True)
    )
    children = set(Agency.objects.filter(parent_id__in=direct).values_list("id", flat=True))
    return AdminScope(user.pk, frozenset(managed), frozenset(_with_descendants(children)))


def manageable_users(scope: AdminScope, users):
    """The users of `users` that `scope` may manage: not the administrator themselves, no
    superuser, no system administrator, every membership (active or not) at a managed
    agency, and administrator memberships only strictly below the actor's own. A user who
    belongs to another agency is managed by whoever administers all of their agencies."""
    if scope.is_system:
        return users
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    outside = memberships.exclude(agency__in=scope.managed)
    admin_roles = roles_with(Capability.MANAGE_AGENCY)
    peer_admin = memberships.filter(role__in=admin_roles).exclude(agency__in=scope.below)
    return (
        users.filter(is_superuser=False)
        .exclude(pk=scope.actor_id)
        .exclude(Exists(outside) | Exists(peer_admin))
        .exclude(Exists(memberships.filter(role=Role.SYSTEM_ADMIN)))
    )


def visible_users(scope: AdminScope, users):
    """Staff an agency administrator may look at (not change): anyone with a membership at a
    managed agency, and accounts without any membership; never a superuser."""
    if scope.is_system:
        return users
    in_scope = Membership.objects.filter(user=OuterRef("pk"), agency__in=scope.managed)
    no_membership = ~Exists(Membership.objects.filter(user=OuterRef("pk")))
    return users.filter(Q(Exists(in_scope)) | Q(no_membership), is_superuser=False)


def may_manage_user(scope: AdminScope, user) -> bool:
    if user is None or user.pk is None:
        return True  # an account being created
    return manageable_users(scope, type(user).objects.filter(pk=user.pk)).exists()


def grant_refusal(scope: AdminScope, user, agency: Agency, role: str) -> str | None:
    """Why `scope`'s administrator may not give `user` `role` at `agency`, or None."""
    if scope.is_system:
        return None
    if role not in DELEGABLE_ROLES:
        return _("Only a system administrator may grant this role.")
    if agency.pk not in scope.managed:
        return _("You do not manage this agency.")
    if user is not None and user.pk == scope.actor_id:
        return _("You cannot change your own roles; ask another administrator.")
    if not may_manage_user(scope, user):
        return _(
            "This account belongs to agencies you do not manage; an administrator of all "
            "its agencies must add it."
        )
    if role == Role.AGENCY_ADMIN and agency.pk not in scope.below:
        return _("Agency administrators can only be appointed for agencies below yours.")
    return None


def agency_kind_refusal(scope: AdminScope, kind: str) -> str | None:
    if scope.is_system or kind not in RESERVED_AGENCY_KINDS:
        return None
    return _("Only a system administrator can create service centres and People's Committees.")
