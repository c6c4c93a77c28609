"""The fee receipt as a document (Decree 254/2026 art. 23.2), and what follows its issue.

Every field the article lists is printed: the receipt's name, template and series symbols,
its number (8 digits, per series and year), the collecting organisation's name and tax
code, each fee or charge with its amount in figures and in words, the date, in Vietnamese.
The collector's digital signature is the signatures issue's: until then the PDF says it is
not signed, and the outbox message of each receipt (`on_issued`) is where signing will hook
in.
"""

import logging
from typing import Any

from django.utils import timezone, translation

from motcua.outbox.consumers import Message

from . import conf
from .conf import RECEIPT_ZONE
from .models import FeeKind, Receipt, Stage
from .rendering import render_pdf
from .vietqr import qr_svg
from .words import amount_figures, amount_words

logger = logging.getLogger(__name__)
KIND_TEXT = {FeeKind.FEE: "Phí", FeeKind.CHARGE: "Lệ phí", "": "Nghĩa vụ tài chính"}
METHOD_TEXT = {
    "cash": "Tiền mặt",
    "card": "Thẻ",
    "vietqr": "Chuyển khoản (VietQR)",
    "platform": "Nền tảng thanh toán quốc gia",
}


def receipt_context(receipt: Receipt) -> dict[str, Any]:
    """Everything the template prints, as strings."""
    series, attempt = receipt.series, receipt.attempt
    request = attempt.request
    dossier = request.dossier
    issued = timezone.localtime(receipt.issued_at, RECEIPT_ZONE)
    return {
        "name": series.name,
        "template_symbol": series.template_symbol,
        "series_symbol": series.series_symbol,
        "number": receipt.number_text,
        "collector": {
            "name": series.collector_name,
            "tax_code": series.collector_tax_code,
            "address": series.collector_address,
        },
        "payer": {
            "name": receipt.payer_name,
            "id_number": receipt.payer_id_number,
            "address": receipt.payer_address,
        },
        "dossier": dossier.code,
        "procedure": dossier.procedure_version.name if dossier.procedure_version_id else "",
        "reference": request.reference or "",
        "method": METHOD_TEXT.get(attempt.method, attempt.method),
        "lines": [
            {
                "no": str(i),
                "kind": KIND_TEXT.get(line.get("kind", ""), ""),
                "name": line["name"],
                "quantity": str(line.get("quantity", 1)),
                "amount": amount_figures(line["amount"]),
                "words": line.get("words") or amount_words(line["amount"]),
            }
            for i, line in enumerate(receipt.lines, start=1)
        ],
        "total": amount_figures(receipt.total),
        "total_words": amount_words(receipt.total),
        "date": f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}",
        "time": f"{issued:%H:%M}",
        "issued_by": _person(receipt.issued_by),
        "qr": qr_svg(_verification_text(receipt)),
    }


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _verification_text(receipt: Receipt) -> str:
    """What the receipt's QR code says: its symbols, number, date and total, so that a
    reader can compare the printed receipt with the collector's records."""
    return (
        f"{receipt.series.template_symbol}|{receipt.series.series_symbol}|{receipt.number_text}"
        f"|{timezone.localtime(receipt.issued_at, RECEIPT_ZONE):%Y-%m-%d}|{receipt.total}"
    )


# Apps that finish a receipt before it is handed out register here, in their AppConfig.ready:
# finish(receipt, pdf) -> pdf (signing: the collecting agency's seal, Decree 254/2026 art.
# 23.2.g, when MOTCUA_SIGN_FORMS).
_finishers: list = []


def add_finisher(finish) -> None:
    if finish not in _finishers:
        _finishers.append(finish)


def receipt_pdf(receipt: Receipt) -> bytes:
    with translation.override("vi"):
        content = render_pdf("payments/typst/receipt.typ", receipt_context(receipt))
    for finish in _finishers:
        content = finish(receipt, content)
    return content


def on_issued(message: Message) -> None:
    """Outbox consumer of an issued receipt: the message records that the receipt exists (a
    second delivery changes nothing). The collecting agency's seal is put on when the receipt
    is printed (receipt_pdf's finishers: signing.forms); sending it to the applicant is not
    built yet."""
    logger.info("receipt issued", extra={"receipt": message.payload.get("receipt")})


def on_refunded(message: Message) -> None:
    """Outbox consumer of a refund: the accountant's export and the notice come later."""
    logger.info("payment refunded", extra={"refund": message.payload.get("refund")})


def receipt_slip_notes(dossier) -> list[str]:
    """Mẫu 01's note on what the dossier owes now and how to pay it (documents.forms adds it
    to the receipt slip; the slip is rendered in Vietnamese): the amount in figures and
    words, the payment reference a transfer must carry, where to pay online."""
    from django.utils.translation import gettext as _

    from motcua.documents.qr import public_base

    from .models import PaymentRequest

    due = PaymentRequest.objects.filter(
        dossier=dossier, state=PaymentRequest.State.DUE, total__gt=0
    ).order_by("created_at", "pk")
    notes = [
        _(
            "Fees and charges to pay: %(amount)s đồng (%(words)s); payment reference "
            "%(reference)s: pay at the counter, by a transfer carrying this reference, or "
            "online at %(url)s."
        )
        % {
            "amount": amount_figures(request.total),
            "words": amount_words(request.total),
            "reference": request.reference or "—",
            "url": f"{public_base()}/thanh-toan/{dossier.code}/",
        }
        for request in due
    ]
    if notes and conf.payment_clock() == "paid" and any(r.stage == Stage.RECEIPT for r in due):
        notes.append(
            _(
                "The time limit counts from the payment of the fees and charges: the "
                "appointment above holds if they are paid today; otherwise it moves by as many "
                "working days, and the new date is shown when you track the dossier."
            )
        )
    return notes
