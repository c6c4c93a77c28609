import pytest

from motcua.organisations.codes import is_agency_code


@pytest.mark.parametrize(
    "code",
    ["H15.50.05.13", "G09.20", "H42", "A01.001.02", "Z01", "Z99.ABC123", "000"[:0] + "K01.1"],
)
def test_valid_agency_codes_are_accepted(code):
    assert is_agency_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "h15.50",
        "Z00",
        "Z1",
        "H1",
        "H15..50",
        "H15.50.",
        "000.00.12.H56",
        "H15-50",
        "A01." + "1" * 32,
        "Đ15",
    ],
)
def test_invalid_agency_codes_are_refused(code):
    assert not is_agency_code(code)
