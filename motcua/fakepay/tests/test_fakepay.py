"""The fake payment platform: served only while MOTCUA_FAKE_PAYMENTS is on; its API wants
the bearer token and a valid signature, as the real one; the pay page decides once."""

import json

import pytest
from django.urls import reverse

from motcua.fakepay import merchant, signing
from motcua.fakepay.models import FakeTransaction

pytestmark = pytest.mark.django_db


def init(**changes):
    message = {
        "LoaiBanTin": "INIT", "PhienBan": "1.0.6", "MaDoiTac": merchant.MERCHANT,
        "MaThamChieu": "MC000001Y-1", "SoTien": 205000, "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1", "MaThietBi": "1", "NgonNgu": "vi-VN", "MaTienTe": "VND",
        "MaNganHang": "", "ThongTinGiaoDich": "x", "ThoiGianGD": "20260309143005", "Ip": "",
    }  # fmt: skip
    message["MaXacThuc"] = signing.mac(message, signing.INIT, merchant.SECRET)
    return message | changes


def call(client, message, token=merchant.TOKEN):
    return client.post(
        reverse("fakepay:api"),
        json.dumps(message),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_off_means_404(client, settings):
    settings.MOTCUA_FAKE_PAYMENTS = False
    assert call(client, init()).status_code == 404
    assert client.get("/fake-pay/pay/x/").status_code == 404


def test_init_wants_the_token_and_the_signature(client, settings):
    settings.MOTCUA_FAKE_PAYMENTS = True
    assert call(client, init(), token="nope").status_code == 401
    assert call(client, init(SoTien=1)).json()["error_code"] == "01"  # signed over 205000
    answer = call(client, init()).json()
    assert answer["error_code"] == "0" and answer["message"]["UrlThanhToan"].endswith(
        "/fake-pay/pay/MC000001Y-1/"
    )
    assert call(client, init()).json()["error_code"] == "04"  # the same reference twice
    assert FakeTransaction.objects.count() == 1


def test_the_pay_page_decides_once(client, settings):
    settings.MOTCUA_FAKE_PAYMENTS = True
    call(client, init())
    page = client.get("/fake-pay/pay/MC000001Y-1/")
    assert page.status_code == 200 and b"205.000" in page.content or b"205,000" in page.content
    assert client.post("/fake-pay/pay/MC000001Y-1/", {"outcome": "steal"}).status_code == 400
    client.post("/fake-pay/pay/MC000001Y-1/", {"outcome": "fail", "chaos": "drop"})
    client.post("/fake-pay/pay/MC000001Y-1/", {"outcome": "pay", "chaos": ""})
    assert FakeTransaction.objects.get().state == "failed"
