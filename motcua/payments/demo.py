"""The demo's fees (seed_demo): fee items for the fee-bearing demo procedures, a receipt
series for each agency that receives dossiers, a demo bank account for VietQR. Idempotent.

The best-known fees are written here with their rule and legal basis, replacing what the
catalogue import derived from the published text; the other demo procedures keep the items
the import derived (payments.from_catalogue), given the demo account.
"""

from django.db import transaction

from motcua.catalogue.models import ProcedureVersion
from motcua.organisations.models import Agency

from . import from_catalogue
from .models import FeeExemption, FeeItem, FeeKind, ReceiptSeries

RULE, KIND = FeeItem.Rule, FeeKind
# Circular 75/2022/TT-BTC art. 4: residence registration charges; online a lower amount.
RESIDENCE = "Thông tư 75/2022/TT-BTC (Nghị quyết HĐND tỉnh về mức thu)"
MERIT = ("Người thuộc gia đình có công với cách mạng; hộ nghèo", "Thông tư 75/2022/TT-BTC điều 5")
KNOWN: dict[str, list[dict]] = {
    "1.004194": [  # Đăng ký tạm trú
        {"name": "Lệ phí đăng ký tạm trú", "amount": 10_000, "channel": "in_person"},
        {"name": "Lệ phí đăng ký tạm trú (trực tuyến)", "amount": 7_000, "channel": "online"},
    ],
    "1.004222": [  # Đăng ký thường trú
        {"name": "Lệ phí đăng ký thường trú", "amount": 20_000, "channel": "in_person"},
        {"name": "Lệ phí đăng ký thường trú (trực tuyến)", "amount": 10_000, "channel": "online"},
    ],
    "1.002755": [  # Gia hạn tạm trú
        {"name": "Lệ phí gia hạn tạm trú", "amount": 10_000, "channel": "in_person"},
        {"name": "Lệ phí gia hạn tạm trú (trực tuyến)", "amount": 5_000, "channel": "online"},
    ],
    "1.010038": [  # Tách hộ
        {"name": "Lệ phí tách hộ", "amount": 10_000, "channel": "in_person"},
        {"name": "Lệ phí tách hộ (trực tuyến)", "amount": 5_000, "channel": "online"},
    ],
    "2.000815": [  # Chứng thực bản sao từ bản chính
        {
            "name": "Phí chứng thực bản sao từ bản chính",
            "kind": KIND.FEE,
            "amount": 2_000,
            "rule": RULE.PER_PAGE,
            "later_from": 3,
            "later_amount": 1_000,
            "maximum": 200_000,
            "legal_basis": "Thông tư 226/2016/TT-BTC điều 4 (2.000 đ/trang; từ trang thứ 3: "
            "1.000 đ/trang; tối đa 200.000 đ/bản)",
        }
    ],
    "2.000884": [  # Chứng thực chữ ký
        {
            "name": "Phí chứng thực chữ ký",
            "kind": KIND.FEE,
            "amount": 10_000,
            "legal_basis": "Thông tư 226/2016/TT-BTC điều 4 (10.000 đ/trường hợp)",
        }
    ],
    "2.000635": [  # Cấp bản sao trích lục hộ tịch
        {
            "name": "Phí cấp bản sao trích lục hộ tịch",
            "kind": KIND.FEE,
            "amount": 8_000,
            "rule": RULE.PER_COPY,
            "legal_basis": "Thông tư 281/2016/TT-BTC điều 4 (8.000 đ/bản)",
        }
    ],
}
RESIDENCE_CODES = {"1.004194", "1.004222", "1.002755", "1.010038"}
DEMO_ACCOUNT = {"bank_bin": "970436", "bank_account": "0011001234567", "account_name": "DEMO"}
COLLECTORS = {  # agencies that receive dossiers in the demo, with a demo tax code
    "H42.01": ("Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh", "3000100001", "HT"),
    "H42.50.01": ("Ủy ban nhân dân phường Thành Sen", "3000100002", "TS"),
    "H42.50.02": ("Ủy ban nhân dân xã Thạch Hà", "3000100003", "TH"),
}


@transaction.atomic
def seed_fees() -> str:
    """Fee items, exemptions and receipt series of the demo; a one-line summary."""
    versions = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED)
    by_code = {v.procedure.code: v for v in versions.select_related("procedure")}
    made = sum(_known(by_code[code], rows) for code, rows in KNOWN.items() if code in by_code)
    found = from_catalogue.derive([v for c, v in by_code.items() if c not in KNOWN])
    # The demo's items carry the demo account, so VietQR is offered.
    FeeItem.objects.filter(version__in=by_code.values(), bank_account="").update(**DEMO_ACCOUNT)
    to_complete = sum(len(d.to_complete) > 0 for d in found)
    series = _series()
    items = FeeItem.objects.filter(version__in=by_code.values())
    return (
        f"Fees: {items.count()} fee items on {items.values('version').distinct().count()} "
        f"procedures ({made} written by hand now, the rest derived from the national data), "
        f"{series} receipt series; {to_complete} procedures with published fees left for a "
        "person to complete (manage.py fee_items_from_catalogue --dry-run lists them)."
    )


def _known(version: ProcedureVersion, rows: list[dict]) -> int:
    """The hand-written items replace what the import derived from the published text."""
    wanted = {(row["name"], row.get("channel", "")) for row in rows}
    for item in FeeItem.objects.filter(version=version):
        if (item.name, item.channel) not in wanted:
            item.delete()
    made = 0
    for order, row in enumerate(rows, start=1):
        values = {"kind": KIND.CHARGE, "rule": RULE.FIXED, "legal_basis": RESIDENCE, **row}
        item, created = FeeItem.objects.get_or_create(
            version=version,
            name=values.pop("name"),
            channel=values.pop("channel", ""),
            defaults={"order": order, **DEMO_ACCOUNT, **values},
        )
        made += created
        if version.procedure.code in RESIDENCE_CODES:
            FeeExemption.objects.get_or_create(
                item=item, description=MERIT[0], defaults={"legal_basis": MERIT[1]}
            )
    return made


def _series() -> int:
    made = 0
    for code, (name, tax_code, letters) in COLLECTORS.items():
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        _series_row, created = ReceiptSeries.objects.get_or_create(
            agency=agency,
            is_active=True,
            defaults={
                "template_symbol": "01BLP0-001",
                "series_symbol": f"{letters}-26E",
                "collector_name": name,
                "collector_tax_code": tax_code,
                "collector_address": "Tỉnh Hà Tĩnh",
            },
        )
        made += created
    return made
