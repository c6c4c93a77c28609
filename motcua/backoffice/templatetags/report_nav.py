"""`user|may_view_reports` for the back-office menu: one query, kept on the user object for
the rest of the request."""

from django import template

from motcua.organisations.models import Membership
from motcua.organisations.roles import Capability, roles_with

register = template.Library()


@register.filter
def may_view_reports(user) -> bool:
    """Holds VIEW_REPORTS somewhere (permissions.can(user, VIEW_REPORTS) without walking
    the agency tree: a membership that grants it is enough to show the menu entry)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_may_view_reports", None)
    if cached is None:
        roles = roles_with(Capability.VIEW_REPORTS)
        cached = Membership.objects.active().filter(user=user, role__in=roles).exists()
        user._may_view_reports = cached
    return cached
