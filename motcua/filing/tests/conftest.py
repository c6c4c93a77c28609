"""A procedure offered online with the demo's birth registration e-form, at the test commune;
a citizen signed in through the fake national provider (accounts' in-process adapter)."""

import pytest

from motcua.accounts.tests.conftest import idp, sign_in  # noqa: F401 - fixtures reused
from motcua.filing.demo import EFORMS, load
from motcua.testing.files import blank_pdf

AN = "042090001234"  # the fake provider's nguyen-van-an
BINH = "042195004321"  # tran-thi-binh
PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def online_birth(birth_registration, commune_agency):
    """The conftest's birth registration, offered online with the demo e-form; the paper
    declaration (Tờ khai) is what the e-form stands for."""
    version = birth_registration.current_version
    eform, note = load(EFORMS / "1.001193.json")
    eform["ui"]["stands_for"] = ["Tờ khai"]
    version.eform, version.online_note = eform, note
    version.save(update_fields=["eform", "online_note"])
    version.implementing_agencies.add(commune_agency)
    return birth_registration


def answers(**overrides):
    """A complete birth registration form, as the page posts it."""
    values = {
        "quan_he": "cha",
        "ho_ten_tre": "Nguyễn Minh Khôi",
        "gioi_tinh": "nam",
        "ngay_sinh": "2026-11-20",
        "noi_sinh": "Bệnh viện đa khoa tỉnh Hà Tĩnh",
        "dan_toc": "Kinh",
        "quoc_tich": "Việt Nam",
        "que_quan": "Hà Tĩnh",
        "ho_ten_me": "Lê Thị Hoa",
        "nam_sinh_me": "1994",
        "so_ban_sao": "2",
        "cam_doan": "on",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}
