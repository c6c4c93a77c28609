"""`user|may_view_reports` for the back-office menu (organisations.permissions)."""

from django import template

from motcua.organisations.permissions import holds_anywhere
from motcua.organisations.roles import Capability

register = template.Library()


@register.filter
def may_view_reports(user) -> bool:
    return holds_anywhere(user, (Capability.VIEW_REPORTS,))
