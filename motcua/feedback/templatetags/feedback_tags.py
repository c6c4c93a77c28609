from django import template

register = template.Library()


@register.simple_tag
def rating_offer(dossier) -> dict | None:
    """What the citizen's dossier page offers: rating once the dossier has its result, with
    the rating already given online (None: nothing to offer yet)."""
    from motcua.feedback.models import Channel
    from motcua.feedback.ratings import may_rate_online, rating_of

    if not may_rate_online(dossier):
        return None
    return {"rating": rating_of(dossier, Channel.PORTAL)}
