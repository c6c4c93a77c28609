"""Printable forms of Circular 01/2018 (art. 9), each as PDF bytes (A5 portrait).

    receipt_pdf           Mẫu 01  Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    supplement_slip_pdf   Mẫu 02  Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    refusal_slip_pdf      Mẫu 03  Phiếu từ chối tiếp nhận giải quyết hồ sơ
    apology_pdf           Mẫu 04  Phiếu xin lỗi và hẹn lại ngày trả kết quả
    control_slip_pdf      Mẫu 05  Phiếu kiểm soát quá trình giải quyết hồ sơ

Mẫu 06 (Sổ theo dõi hồ sơ, A4) is in tracking_book.py. They raise DocumentError when the
dossier has nothing to print for that form (e.g. no apology).
"""

from collections.abc import Callable
from typing import Any

from django.utils import translation

from motcua.dossiers.models import Dossier, SupplementRequest

from . import forms
from .rendering import render_pdf

FORM_LANGUAGE = "vi"


def _render(template: str, build: Callable[..., dict[str, Any]], *args: Any) -> bytes:
    with translation.override(FORM_LANGUAGE):
        return render_pdf(template, build(*args))


def receipt_pdf(dossier: Dossier) -> bytes:
    return _render("receipt", forms.receipt_context, dossier)


def supplement_slip_pdf(dossier: Dossier, request: SupplementRequest | None = None) -> bytes:
    """The given request, else the latest one (after appraisal or at reception)."""
    return _render("supplement", forms.supplement_context, dossier, request)


def refusal_slip_pdf(dossier: Dossier) -> bytes:
    return _render("refusal", forms.refusal_context, dossier)


def apology_pdf(dossier: Dossier) -> bytes:
    return _render("apology", forms.apology_context, dossier)


def control_slip_pdf(dossier: Dossier) -> bytes:
    return _render("control", forms.control_context, dossier)
