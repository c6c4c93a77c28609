"""Who may do what to a dossier's steps: role AND agency (and department). These are the
step-level rules of the one permission policy (policy.py, Relation.STEP), which calls them.

* A step is done by people holding the capability of the step's role
  (`STEP_CAPABILITY`) in the step's agency, and, when the step names a department, a
  membership in that department.
* An assigned step is completed (or sent back) only by its assignee; an unassigned step by
  anyone who holds its role as above (a leader signs without being assigned first).
* Steps are assigned by holders of ASSIGN_DOSSIER: agency-wide (a membership without a
  department, e.g. a leader) for every step of the agencies their membership covers; a
  department head for the steps of their department, and for the steps of their own
  agency that name no department. The national catalogue names no department for most
  procedures of a provincial department (all 103 of the demo's Sở Tư pháp): without this,
  only the director could distribute them, whereas in practice the dossier reaches the
  department concerned and its head assigns it (Decree 61/2018 art. 19.1: "the head of the
  unit assigns an officer"). Only the department's own kinds of step: a leader's signing
  step is not a department head's to give. Once assigned, it is the assignee's alone.

Agency coverage (a membership covers the agencies below its agency) is decided by
organisations.permissions.
"""

from motcua.organisations import permissions
from motcua.organisations.models import Membership
from motcua.organisations.roles import Capability, Role, role_grants, roles_with

from .errors import DossierError
from .models import DossierStep

C = Capability
STEP_CAPABILITY: dict[str, str] = {
    Role.RECEIVING_CLERK: C.RECEIVE_DOSSIER,
    Role.SPECIALIST: C.PROCESS_DOSSIER,
    Role.DEPARTMENT_HEAD: C.ASSIGN_DOSSIER,
    Role.LEADER: C.APPROVE_DOSSIER,
    Role.SUPERVISOR: C.SUPERVISE,
    Role.AGENCY_ADMIN: C.MANAGE_AGENCY,
    Role.SYSTEM_ADMIN: C.MANAGE_SYSTEM,
}


# The steps a department head assigns in their agency when the step names no department.
HEADS_ASSIGN_UNDEPARTMENTED = frozenset({Role.SPECIALIST, Role.DEPARTMENT_HEAD})


def forbidden(message: str) -> DossierError:
    return DossierError("forbidden", message, status=403)


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _department_ids(user, capability: str) -> set[int]:
    if not _is_staff(user):
        return set()
    return set(
        Membership.objects.active()
        .filter(user=user, role__in=roles_with(capability), department__isnull=False)
        .values_list("department_id", flat=True)
    )


Roles = list[tuple[str, int | None]] | None


def _holds_at_step(
    user, step: DossierStep, capability: str, *, agencywide: bool, roles: Roles = None
) -> bool:
    """Does `user` hold `capability` at the step, by a membership covering its agency? One
    read: the memberships covering the step's agency (organisations.permissions), unless
    the caller read them already (`roles`, as roles_at returns them)."""
    if not _is_staff(user):
        return False
    if user.is_superuser:
        return True
    if roles is None:
        roles = permissions.roles_at(user, step.agency_id)
    if any(role == Role.SYSTEM_ADMIN for role, _department in roles):
        return True

    def fits(department: int | None) -> bool:
        # Agency-wide: a membership without a department, or in the step's department.
        # Otherwise: in the step's department when it names one, any when it names none.
        if agencywide:
            return department is None or department == step.department_id
        return step.department_id is None or department == step.department_id

    return any(role_grants(role, capability) and fits(dept) for role, dept in roles)


def holds_step_role(user, step: DossierStep, *, roles: Roles = None) -> bool:
    """Does `user` hold the step's role in its agency (and department, if it names one)?"""
    capability = STEP_CAPABILITY[step.role]
    return _holds_at_step(user, step, capability, agencywide=False, roles=roles)


def may_complete(user, step: DossierStep, *, roles: Roles = None) -> bool:
    if step.assignee_id is not None:
        return getattr(user, "pk", None) == step.assignee_id
    return holds_step_role(user, step, roles=roles)


def agencywide_assign_ids(user) -> set[int] | None:
    """Agencies where `user` assigns every step (None: all agencies)."""
    if permissions.is_system_admin(user):
        return None
    if not _is_staff(user):
        return set()
    direct = set(
        Membership.objects.active()
        .filter(user=user, role__in=roles_with(C.ASSIGN_DOSSIER), department__isnull=True)
        .values_list("agency_id", flat=True)
    )
    # A membership covers the agencies below its own: the rule of organisations.permissions.
    return permissions._with_descendants(direct)


def assign_department_ids(user) -> set[int]:
    """Departments where `user` assigns the steps (department heads)."""
    return _department_ids(user, C.ASSIGN_DOSSIER)


def headed_departments(user) -> list[tuple[int, int]]:
    """(department id, its agency id) of the departments where `user` assigns the steps:
    their own steps, and their agency's steps that name no department (module docstring)."""
    if not _is_staff(user):
        return []
    return list(
        Membership.objects.active()
        .filter(user=user, role__in=roles_with(C.ASSIGN_DOSSIER), department__isnull=False)
        .values_list("department_id", "department__agency_id")
    )


def head_agency_ids(user) -> set[int]:
    """Agencies where `user` heads a department."""
    return {agency for _department, agency in headed_departments(user)}


def may_assign(user, step: DossierStep, *, roles: Roles = None) -> bool:
    """Agency-wide ASSIGN_DOSSIER holders (agencywide_assign_ids) assign every step of the
    agencies they cover; department heads the steps of their department and the steps of
    their agency that name no department."""
    if _holds_at_step(user, step, C.ASSIGN_DOSSIER, agencywide=True, roles=roles):
        return True
    undepartmented = step.department_id is None and step.role in HEADS_ASSIGN_UNDEPARTMENTED
    return undepartmented and step.agency_id in head_agency_ids(user)


def may_work_on(user, step: DossierStep, *, roles: Roles = None) -> bool:
    """May `user` act for the step beyond completing it (consult, ask for a supplement)?
    Its assignee or role holder, or someone who may assign it."""
    if roles is None and _is_staff(user) and not user.is_superuser:
        roles = permissions.roles_at(user, step.agency_id)  # one read for both rules
    return may_complete(user, step, roles=roles) or may_assign(user, step, roles=roles)
