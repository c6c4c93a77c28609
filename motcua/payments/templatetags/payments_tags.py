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


@register.simple_tag
def citizen_due(dossier) -> list:
    """The dossier's payment requests still due with something to pay (the citizen's dossier
    page links to the payment page when there is one)."""
    from motcua.payments.models import PaymentRequest

    due = dossier.payment_requests.filter(state=PaymentRequest.State.DUE, total__gt=0)
    return list(due.only("pk", "total", "stage").order_by("created_at", "pk"))


@register.simple_tag
def fees_of(code: str) -> list:
    """What the dossier `code` owes or paid, amount and state only (the tracking page, with
    the details a person unlocks with the last digits of their phone or number): one read."""
    from motcua.payments.models import PaymentRequest

    found = PaymentRequest.objects.filter(dossier__code=code, total__gt=0)
    return list(found.only("total", "state").order_by("created_at", "pk"))
