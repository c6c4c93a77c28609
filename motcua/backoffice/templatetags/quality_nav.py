"""`user|may_see_quality` and `user|may_supervise` for the back-office menu and the quality
pages (organisations.permissions)."""

from django import template

from motcua.organisations.permissions import holds_anywhere
from motcua.organisations.roles import Capability

register = template.Library()


@register.filter
def may_see_quality(user) -> bool:
    return holds_anywhere(user, (Capability.VIEW_REPORTS, Capability.SUPERVISE))


@register.filter
def may_supervise(user) -> bool:
    return holds_anywhere(user, (Capability.SUPERVISE,))
