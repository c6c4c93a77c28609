"""Fee items from the published catalogue: what the national data states becomes items the
cashier applies, and what it only hints at is listed for a person to complete.

The national catalogue publishes fees as text per channel (the catalogue import keeps them as
`catalogue.Fee` rows and `ProcedureVersion.fees_text`). The law fixes the amounts (Law on Fees
and Charges 2015 arts. 3, 6, 21: the Ministry of Finance's circulars, or the provincial
council's resolution for the charges it sets), so an amount the data states is taken as
published, and anything else is a person's job:

* an amount in VND of at least 1.000 đ becomes an item: fixed, per page or per copy by the unit
  the text gives after it ("(/trang)", "(/bản)"), with the lower price from a given page and the
  cap when the text states them (Circular 226/2016 art. 4 for certified copies); a charge
  (lệ phí) unless the text names a fee (phí) only;
* smaller amounts are typing slips in the national data ("50" for 50.000 đ) and are listed;
* a fee in a foreign currency is collected abroad (representative missions), not here: listed;
* "Miễn phí" that defers to the provincial council's resolution or to a circular, or that
  hides an amount in its text, is a fee the data does not give: listed as "to complete";
* a version that already has fee items is left alone (a person made or checked them); a new
  version of a procedure whose previous version had items gets a copy of them, listed for a
  person to check against the newly published text.

`derive(versions)` is run by the catalogue import for the versions it publishes
(catalogue.interchange.hooks) and by `manage.py fee_items_from_catalogue`.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalogue.models import Fee, ProcedureVersion

from .models import FeeExemption, FeeItem, FeeKind, Stage

RULE = FeeItem.Rule
SLIP_BELOW = 1000  # đ: an amount under this in the national data is a typing slip
PUBLISHED = "Theo công bố trên Cổng Dịch vụ công quốc gia"
# The unit the portal prints after an amount: "2,000 Việt Nam Đồng(/trang)".
UNIT_AFTER = r"\s*(?:Việt Nam Đồng|VNĐ|VND|đồng|đ)\s*\(?\s*/\s*([^)\n;,.]+)"
PER_PAGE = {"trang"}
PER_COPY = {"bản", "bản sao"}
LATER = re.compile(r"từ trang thứ\s*(\d+)\s*trở lên thu\s*([\d.,]+)\s*đồng", re.IGNORECASE)
CAP = re.compile(r"tối đa(?: thu)? không quá\s*([\d.,]+)\s*đồng", re.IGNORECASE)
# The Ministry of Finance's circulars set fees (Law on Fees and Charges 2015 art. 21); another
# ministry's circular cited in the text (TT-BTP on procedures) is not a fee's basis.
CIRCULAR = re.compile(r"Thông tư(?: số)?\s*\d+/\d{4}/TT-BTC", re.IGNORECASE)
COUNCIL = "hội đồng nhân dân"
FREE = "miễn phí"


@dataclass
class Derived:
    """What became of one version's published fees."""

    version: ProcedureVersion
    created: list[FeeItem] = field(default_factory=list)
    copied: int = 0
    kept: bool = False  # it had items already
    to_complete: list[str] = field(default_factory=list)


def _number(text: str) -> int:
    return int(re.sub(r"[.,\s]", "", text) or 0)


def _written(amount: int) -> str:
    """An amount as the portal may print it: 2,000 or 2.000 or 2000."""
    plain = str(amount)
    grouped = f"{amount:,}"
    return "|".join(re.escape(v) for v in {plain, grouped, grouped.replace(",", ".")})


def _unit_rule(text: str, amount: int) -> str:
    found = re.search(rf"(?:{_written(amount)}){UNIT_AFTER}", text, re.IGNORECASE)
    unit = found[1].strip().lower() if found else ""
    if unit in PER_PAGE:
        return RULE.PER_PAGE
    if unit in PER_COPY:
        return RULE.PER_COPY
    return RULE.FIXED  # a case, a transaction, a document, a registration


def _kind(text: str) -> str:
    lowered = text.lower()
    if "lệ phí" in lowered or "phí" not in lowered:
        return FeeKind.CHARGE
    return FeeKind.FEE


def _legal_basis(text: str) -> str:
    found = CIRCULAR.search(text)
    return found[0] if found else PUBLISHED


def _item(version: ProcedureVersion, fee: Fee, order: int) -> FeeItem:
    text = version.fees_text or ""
    amount = int(fee.amount or 0)
    kind = _kind(text)
    rule = _unit_rule(text, amount)
    item = FeeItem(
        version=version,
        order=order,
        name=(
            f"{'Lệ phí' if kind == FeeKind.CHARGE else 'Phí'} {version.name[:1].lower()}"
            f"{version.name[1:]}"
        )[:255],
        kind=kind,
        amount=amount,
        rule=rule,
        channel=fee.channel,
        collected_at=fee.charged_at if fee.charged_at in Stage.values else Stage.RECEIPT,
        legal_basis=_legal_basis(text),
    )
    if rule == RULE.PER_PAGE and (later := LATER.search(text)):
        item.later_from, item.later_amount = int(later[1]), _number(later[2])
    if cap := CAP.search(text):
        item.maximum = _number(cap[1])
    return item


def _hints(version: ProcedureVersion, fees: list[Fee], made: bool) -> list[str]:
    """Why a person must look: the reasons, in the catalogue's words."""
    text = version.fees_text or ""
    lowered = text.lower()
    reasons = []
    for fee in fees:
        if fee.amount is not None and 0 < fee.amount < SLIP_BELOW:
            reasons.append(
                _("an amount of %(amount)s đ is probably a typing slip in the national data")
                % {"amount": fee.amount}
            )
        elif fee.amount is None and fee.rule:
            reasons.append(
                _("a fee in a foreign currency (%(rule)s) is collected abroad, not here")
                % {"rule": fee.rule}
            )
    if made and FREE in lowered:
        reasons.append(_("shown as free, but an amount is stated: check the item"))
    if not made:
        if COUNCIL in lowered:
            reasons.append(_("the amount is set by the provincial council's resolution"))
        elif (circular := CIRCULAR.search(text)) and "phí" in lowered:
            reasons.append(
                _("a fee under %(circular)s, without an amount") % {"circular": circular[0]}
            )
    return list(dict.fromkeys(reasons))


def _previous_with_items(versions: list[ProcedureVersion]) -> dict[int, int]:
    """procedure id -> its latest other version that has fee items, in one read."""
    rows = (
        FeeItem.objects.filter(version__procedure__in={v.procedure_id for v in versions})
        .exclude(version__in=versions)
        .values_list("version__procedure", "version", "version__number")
        .distinct()
    )
    latest: dict[int, tuple[int, int]] = {}
    for procedure, version, number in rows:
        if procedure not in latest or number > latest[procedure][1]:
            latest[procedure] = (version, number)
    return {procedure: version for procedure, (version, _n) in latest.items()}


def _copy_items(previous: int, version: ProcedureVersion) -> int:
    items = list(FeeItem.objects.filter(version=previous).prefetch_related("exemptions"))
    for item in items:
        exemptions = list(item.exemptions.all())
        item.pk, item.version = None, version
        item.save()
        FeeExemption.objects.bulk_create(
            FeeExemption(item=item, description=e.description, legal_basis=e.legal_basis)
            for e in exemptions
        )
    return len(items)


@transaction.atomic
def derive(versions) -> list[Derived]:
    """Fee items for each of `versions` that has none (see the module docstring). They carry
    no bank account: an administrator adds the collecting agency's."""
    versions = list(versions)
    having = set(
        FeeItem.objects.filter(version__in=versions).values_list("version", flat=True).distinct()
    )
    fees: dict[int, list[Fee]] = {}
    for fee in Fee.objects.filter(version__in=versions).order_by("version", "order", "id"):
        fees.setdefault(fee.version_id, []).append(fee)
    previous = _previous_with_items([v for v in versions if v.pk not in having])
    found = []
    for version in versions:
        derived = Derived(version)
        found.append(derived)
        if version.pk in having:
            derived.kept = True
            continue
        if version.procedure_id in previous:
            copied = _copy_items(previous[version.procedure_id], version)
            derived.copied = copied
            derived.to_complete.append(
                _("%(count)d fee items copied from the previous version: check them")
                % {"count": copied}
            )
            continue
        own = fees.get(version.pk, [])
        items = [
            _item(version, fee, order)
            for order, fee in enumerate(own, start=1)
            if fee.amount is not None and fee.amount >= SLIP_BELOW
        ]
        derived.created = FeeItem.objects.bulk_create(items)
        derived.to_complete = _hints(version, own, made=bool(items))
    return found


def summary(found: list[Derived]) -> list[str]:
    """The lines a command prints: what was made, and what a person must complete."""
    created = sum(len(d.created) for d in found)
    copied = sum(d.copied for d in found)
    lines = [
        _(
            "Fee items: %(created)d made from the published fees, %(copied)d copied from a "
            "previous version, %(kept)d versions kept as they were."
        )
        % {"created": created, "copied": copied, "kept": sum(d.kept for d in found)}
    ]
    for derived in found:
        for reason in derived.to_complete:
            lines.append(
                _("To complete: %(code)s %(name)s: %(reason)s.")
                % {
                    "code": derived.version.procedure.code,
                    "name": derived.version.name[:80],
                    "reason": reason,
                }
            )
    return lines


def on_import(versions: list[ProcedureVersion]) -> list[str]:
    """catalogue.interchange.hooks: the import's versions, their fee items, its summary."""
    return summary(derive(versions)) if versions else []
