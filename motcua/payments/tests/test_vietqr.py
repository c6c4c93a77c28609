"""The VietQR codec against the published vectors (capabilities.md §3.3), round trips and
the CRC; the payment reference."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.references import make_reference, read_reference
from motcua.payments.vietqr import (
    PURPOSE_MAX,
    Transfer,
    VietQRError,
    ascii_text,
    crc16,
    encode,
    field,
    parse,
    qr_svg,
    read_transfer,
    transfer_payload,
)

# liopayvn/vietqr-php README: a dynamic transfer to an account (IBFT) of 180.000 đ.
IBFT = (
    "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA"
    "530370454061800005802VN62230819thanh toan don hang630470FA"
)
# Its Vietnamese README: a static merchant QR (QRPUSH family) with a store label. (The
# English README prints another string ending in the same CRC whose CRC does not check; this
# one does, byte for byte.)
PUSH = (
    "00020101021138480010A00000072701300006970403011621129950446040255204581253037045802VN"
    "5910PHUONG CAC6005HANOI62110307NPS686963045802"
)


def test_the_published_transfer_vector_is_reproduced_byte_for_byte():
    transfer = Transfer("970436", "1017595600", 180000, "thanh toan don hang")
    assert transfer_payload(transfer) == IBFT


def test_the_published_transfer_vector_reads_back():
    assert read_transfer(IBFT) == Transfer("970436", "1017595600", 180000, "thanh toan don hang")
    fields = parse(IBFT)
    assert field(fields, "38", "00") == "A000000727"
    assert field(fields, "38", "02") == "QRIBFTTA"


def test_the_published_merchant_vector_parses_and_encodes_to_itself():
    fields = parse(PUSH)
    assert field(fields, "38", "01", "00") == "970403"
    assert field(fields, "59") == "PHUONG CAC"
    assert field(fields, "62", "03") == "NPS6869"
    assert encode(fields) == PUSH
    assert crc16(PUSH[:-4]) == "5802"


@pytest.mark.parametrize("position", [0, 10, 45, len(IBFT) - 30, len(IBFT) - 12, len(IBFT) - 2])
def test_a_changed_character_fails_the_crc_with_a_clear_error(position):
    changed = IBFT[:position] + ("7" if IBFT[position] != "7" else "8") + IBFT[position + 1 :]
    with pytest.raises(VietQRError) as refused:
        parse(changed)
    assert refused.value.code == "crc_mismatch"
    assert "CRC check failed" in str(refused.value)


def test_a_payload_without_its_crc_is_refused():
    with pytest.raises(VietQRError) as refused:
        parse(IBFT[:-8])
    assert refused.value.code == "no_crc"


def test_a_purpose_longer_than_25_characters_is_refused():
    with pytest.raises(VietQRError) as refused:
        transfer_payload(
            Transfer("970436", "1017595600", 1000, "H42.12-260309-0001 le phi ly lich")
        )
    assert refused.value.code == "purpose_too_long"


purposes = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=PURPOSE_MAX
).map(lambda s: " ".join(s.split()))
transfers = st.builds(
    Transfer,
    bank_bin=st.from_regex(r"\A[0-9]{6}\Z"),
    account=st.from_regex(r"\A[0-9A-Z]{6,19}\Z"),
    amount=st.none() | st.integers(min_value=1, max_value=10**12),
    purpose=purposes,
    to_card=st.booleans(),
)


@given(transfers)
def test_a_transfer_round_trips_through_its_payload(transfer):
    payload = transfer_payload(transfer)
    assert payload.isascii()
    assert read_transfer(payload) == transfer


@given(transfers, st.data())
def test_any_single_changed_character_is_caught(transfer, data):
    payload = transfer_payload(transfer)
    position = data.draw(st.integers(min_value=0, max_value=len(payload) - 1))
    replacement = data.draw(
        st.characters(min_codepoint=48, max_codepoint=90).filter(lambda c: c != payload[position])
    )
    changed = payload[:position] + replacement + payload[position + 1 :]
    with pytest.raises(VietQRError):
        read_transfer(changed)


def test_the_qr_code_is_an_svg():
    assert qr_svg(IBFT).startswith("<svg")


def test_vietnamese_text_is_folded_to_ascii_within_the_limit():
    assert ascii_text("Lệ phí đăng ký hộ kinh doanh Thành Sen") == "Le phi dang ky ho kinh do"
    assert len(ascii_text("Đ" * 40)) == PURPOSE_MAX


@given(st.integers(min_value=1, max_value=2**40))
def test_a_reference_is_short_ascii_and_reads_back(request_id):
    reference = make_reference(request_id)
    assert reference.isascii() and reference.isalnum() and len(reference) <= PURPOSE_MAX
    assert read_reference(reference) == request_id
    assert read_reference(f" {reference.lower()[:4]}-{reference.lower()[4:]} ") == request_id


@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_a_mistyped_reference_is_not_read_as_another(request_id, data):
    reference = make_reference(request_id)
    position = data.draw(st.integers(min_value=2, max_value=len(reference) - 1))
    typo = data.draw(st.sampled_from("0123456789ABCDEFGHJKMNPQRSTVWXYZ"))
    changed = reference[:position] + typo + reference[position + 1 :]
    assert read_reference(changed) in (None, request_id) if changed != reference else True
    if changed != reference:
        assert read_reference(changed) is None
