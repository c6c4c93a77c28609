"""What a published answer may show: no personal data (Decree 20/2008 art. 19 publishes the
results; Law 91/2025 and Decree 13/2023 protect personal data). The published text is what
staff write in the "published" fields; it starts from the item's text with the sender's
name, address, phone, e-mail, identity numbers and dossier code taken out, and every phone,
e-mail or identity number anywhere in it masked."""

import re

MASK = "***"
PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NUMBER = re.compile(r"(?<!\d)\d{9}(?:\d{3})?(?!\d)")  # CMND (9) or CCCD (12) numbers


def redact(text: str, *, known: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with the `known` personal values (name, address…) and every phone, e-mail
    and identity number replaced by ***."""
    for value in sorted(
        {k.strip() for k in known if k and len(k.strip()) >= 3}, key=len, reverse=True
    ):
        text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
    text = EMAIL.sub(MASK, text)
    text = PHONE.sub(MASK, text)
    return NUMBER.sub(MASK, text)


def personal_values(item) -> list[str]:
    """The item's personal values to take out of its published text."""
    values = [item.sender_name, item.sender_address, item.sender_phone, item.sender_email]
    if item.dossier_id:
        values += [item.dossier.code, item.dossier.applicant_name, item.dossier.applicant_id_number]
    return [v for v in values if v]
