"""An amount of dong in Vietnamese words, as receipts write it beside the figures (Decree
254/2026 art. 23.2: each fee "bằng số và bằng chữ").

1.250.000 -> "Một triệu hai trăm năm mươi nghìn đồng". The rules that trip writers up:

* 10-19 are "mười ..."; from 20 the tens are "... mươi";
* a final 1 after "mươi" is "mốt" (21 "hai mươi mốt"), but "một" after "mười" (11) and
  after "linh" (101);
* a final 5 after a ten is "lăm" (15 "mười lăm", 25 "hai mươi lăm"), but "năm" after
  "linh" (105 "một trăm linh năm");
* a final 4 after "mươi" is "tư" (24 "hai mươi tư"), the common usage (`four="bốn"` for
  "hai mươi bốn");
* a zero ten before a unit is "linh" (northern, the default) or "lẻ" (`zero_ten="lẻ"`);
* inside a number, a group of three keeps its zero hundreds: 1.005.000 is "một triệu không
  trăm linh năm nghìn"; a group of three zeros is left out (1.000.005 "một triệu không trăm
  linh năm");
* groups are nghìn, triệu, tỷ, then nghìn tỷ, triệu tỷ, tỷ tỷ.
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")  # within a tỷ; above it the words repeat with "tỷ"
BILLION = 10**9


def _below_thousand(n: int, *, full: bool, zero_ten: str, four: str) -> list[str]:
    """Words of 0 < n < 1000; `full`: a group after a larger one (keeps "không trăm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append(zero_ten)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append(four)
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, full: bool, zero_ten: str, four: str) -> list[str]:
    words: list[str] = []
    groups = [n // 10**6 % 1000, n // 1000 % 1000, n % 1000]
    for value, unit in zip(groups, reversed(GROUPS), strict=True):
        if value:
            words += _below_thousand(value, full=full or bool(words), zero_ten=zero_ten, four=four)
            if unit:
                words.append(unit)
    return words


def number_words(n: int, *, zero_ten: str = "linh", four: str = "tư") -> str:
    """`n` (a whole number >= 0) in Vietnamese words, lower case."""
    if n < 0:
        raise ValueError("a negative amount has no words here")
    if n == 0:
        return DIGITS[0]
    words = _words(n, full=False, zero_ten=zero_ten, four=four)
    return " ".join(words)


def _words(n: int, *, full: bool, zero_ten: str, four: str) -> list[str]:
    if n < BILLION:
        return _below_billion(n, full=full, zero_ten=zero_ten, four=four)
    high, low = divmod(n, BILLION)
    words = _words(high, full=full, zero_ten=zero_ten, four=four) + ["tỷ"]
    if low:
        words += _below_billion(low, full=True, zero_ten=zero_ten, four=four)
    return words


def amount_words(amount: int, *, zero_ten: str = "linh", four: str = "tư") -> str:
    """An amount of dong as a receipt writes it: capitalised, ending in "đồng"."""
    text = f"{number_words(amount, zero_ten=zero_ten, four=four)} đồng"
    return text[0].upper() + text[1:]


def amount_figures(amount: int) -> str:
    """1250000 -> "1.250.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")
