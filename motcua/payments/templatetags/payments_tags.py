from django import template

from motcua.payments.words import amount_figures, amount_words

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """1250000 -> "1.250.000" """
    return amount_figures(int(amount or 0))


@register.filter
def vnd_words(amount) -> str:
    return amount_words(int(amount or 0))
