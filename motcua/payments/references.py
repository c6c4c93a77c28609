"""The short payment reference (mã thanh toán) a transfer carries in its purpose field.

VietQR's purpose keeps 25 ASCII characters (capabilities.md §3.3): a dossier code such as
"H42.12-260309-0001" with a text does not fit, and banks rewrite punctuation in their
statements. The reference is letters and digits only: a prefix, the payment request's id in
Crockford base 32 (no I, L, O, U: nothing to misread), and a check character (Luhn mod 32),
so that a mistyped reference in a statement is caught rather than matched to someone else.
"""

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
PREFIX = "MC"
WIDTH = 6  # 32**6 > 10**9 requests before a seventh character is needed
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _luhn32(digits: str) -> str:
    """The Luhn mod N check character of `digits` (N = 32)."""
    total, factor = 0, 2
    for char in reversed(digits):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def _base32(number: int) -> str:
    out = ""
    while True:
        number, rest = divmod(number, 32)
        out = ALPHABET[rest] + out
        if number == 0:
            return out


def make_reference(request_id: int, prefix: str = PREFIX) -> str:
    """`prefix` + the id in base 32 (at least WIDTH characters) + its check character."""
    if request_id <= 0:
        raise ValueError("a payment request id is positive")
    body = _base32(request_id).rjust(WIDTH, "0")
    return f"{prefix}{body}{_luhn32(body)}"


def read_reference(text: str, prefix: str = PREFIX) -> int | None:
    """The request id in `text` (a reference as a statement may write it: any case, with
    spaces or dashes, O for 0), or None when it is not one or its check fails."""
    cleaned = "".join(c for c in text.upper() if c.isalnum())
    if not cleaned.startswith(prefix) or len(cleaned) < len(prefix) + WIDTH + 1:
        return None
    body, check = cleaned[len(prefix) : -1].translate(_CONFUSABLE), cleaned[-1]
    if any(c not in ALPHABET for c in body + check) or _luhn32(body) != check:
        return None
    number = 0
    for char in body:
        number = number * 32 + ALPHABET.index(char)
    return number or None
