"""`user|may_see_quality` and `user|may_supervise` for the back-office menu and the quality
pages: one query per request, kept on the user object."""

from django import template

from motcua.organisations.models import Membership
from motcua.organisations.roles import Capability, roles_with

register = template.Library()


def _roles(user) -> set[str]:
    """The roles of the user's active memberships (cached on the user for the request)."""
    cached = getattr(user, "_quality_roles", None)
    if cached is None:
        rows = Membership.objects.active().filter(user=user).values_list("role", flat=True)
        cached = user._quality_roles = set(rows)
    return cached


def _holds(user, capabilities) -> bool:
    """Holds one of `capabilities` in some agency (a membership granting it is enough to
    show a menu entry; the pages check the agencies)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    wanted = {role for capability in capabilities for role in roles_with(capability)}
    return bool(_roles(user) & wanted)


@register.filter
def may_see_quality(user) -> bool:
    return _holds(user, (Capability.VIEW_REPORTS, Capability.SUPERVISE))


@register.filter
def may_supervise(user) -> bool:
    return _holds(user, (Capability.SUPERVISE,))
