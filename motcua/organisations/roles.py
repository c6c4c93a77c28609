"""Roles and what each may do: the one place where role capabilities are defined.

Every access check elsewhere asks `permissions.py`, which reads this table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEIVING_CLERK = "receiving_clerk", _("Receiving clerk")
    SPECIALIST = "specialist", _("Specialist")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    LEADER = "leader", _("Leader (approver, signer)")
    SUPERVISOR = "supervisor", _("Centre supervisor")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Capability(models.TextChoices):
    RECEIVE_DOSSIER = "receive_dossier", _("Receive dossiers")
    RETURN_RESULT = "return_result", _("Return results")
    PROCESS_DOSSIER = "process_dossier", _("Appraise and process dossiers")
    ASSIGN_DOSSIER = "assign_dossier", _("Assign dossiers")
    APPROVE_DOSSIER = "approve_dossier", _("Approve and sign results")
    VIEW_DOSSIERS = "view_dossiers", _("View all dossiers of the agency")
    VIEW_REPORTS = "view_reports", _("View reports")
    SUPERVISE = "supervise", _("Supervise units and officers")
    MANAGE_AGENCY = "manage_agency", _("Manage departments, counters and staff")
    MANAGE_CATALOGUE = "manage_catalogue", _("Manage the procedure catalogue")
    MANAGE_CALENDAR = "manage_calendar", _("Manage the working-day calendar")
    MANAGE_SYSTEM = "manage_system", _("Manage the whole system")


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.RECEIVING_CLERK: frozenset({C.RECEIVE_DOSSIER, C.RETURN_RESULT}),
    Role.SPECIALIST: frozenset({C.PROCESS_DOSSIER}),
    Role.DEPARTMENT_HEAD: frozenset(
        {C.ASSIGN_DOSSIER, C.PROCESS_DOSSIER, C.VIEW_DOSSIERS, C.VIEW_REPORTS}
    ),
    Role.LEADER: frozenset({C.APPROVE_DOSSIER, C.ASSIGN_DOSSIER, C.VIEW_DOSSIERS, C.VIEW_REPORTS}),
    Role.SUPERVISOR: frozenset({C.VIEW_DOSSIERS, C.VIEW_REPORTS, C.SUPERVISE}),
    Role.AGENCY_ADMIN: frozenset({C.MANAGE_AGENCY, C.MANAGE_CATALOGUE, C.VIEW_REPORTS}),
    Role.SYSTEM_ADMIN: frozenset(Capability.values),
}

# Capabilities that open the Django admin (/admin/).
ADMIN_CAPABILITIES = frozenset({C.MANAGE_AGENCY, C.MANAGE_CATALOGUE, C.MANAGE_CALENDAR})


def role_grants(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def roles_with(capability: str) -> list[str]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


# --- What an agency administrator may hand out (docs/security.md, "Administration scope") ---
# A system administrator may grant anything. An agency administrator may grant these roles at
# the agencies they manage, never to themselves; AGENCY_ADMIN only at an agency strictly below
# one they administer (delegation downwards, so that nobody creates a peer who could then take
# their account, or an equal who escapes them); SYSTEM_ADMIN never.
DELEGABLE_ROLES = frozenset(
    {
        Role.RECEIVING_CLERK,
        Role.SPECIALIST,
        Role.DEPARTMENT_HEAD,
        Role.LEADER,
        Role.SUPERVISOR,
        Role.AGENCY_ADMIN,
    }
)

# Agency kinds whose members reach beyond the agency's own tree: a service centre receives
# dossiers for every agency of its province (dossiers.routing, Decree 61/2018 art. 7), and a
# People's Committee heads a level of the statistics (reports.scope). Only a system
# administrator creates an agency of these kinds or gives an agency one of them; the values
# are organisations.models.Agency.Kind's (this module may not import the models).
RESERVED_AGENCY_KINDS = frozenset(
    {
        "provincial_committee",
        "provincial_centre",
        "commune_committee",
        "commune_centre",
        "district_committee",
    }
)
