"""Fee items from the national catalogue's published fees, through `import_catalogue` and
`fee_items_from_catalogue`: texts shaped like the real file (motcua/catalogue/data), what becomes
an item, what is listed for a person, idempotence, new versions, dry runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.catalogue.models import Procedure
from motcua.catalogue.tests.import_samples import channel, portal_record, write_jsonl
from motcua.payments.models import FeeExemption, FeeItem

pytestmark = pytest.mark.django_db

# 2.000815, as published: per page, a lower price from page 3, a cap per copy; abroad in USD.
COPIES_TEXT = (
    "2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: "
    "2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá "
    "200.000 đồng/bản. Trang là căn cứ để thu phí được tính theo trang của bản chính;"
)
COUNCIL_TEXT = (
    "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương "
    "quyết định. Miễn lệ phí cho người thuộc gia đình có công với cách mạng.)"
)


def priced(kind: str, amount, text: str, currency: str = "VND") -> dict:
    entry = channel(kind, fee=text)
    entry["fee_amounts"] = [{"amount": amount, "currency": currency}]
    entry["shown_as_free"] = False
    return entry


def records():
    copies_abroad = priced("in_person", 10, "10 USD(/bản)Tại cơ quan đại diện: 10 USD/bản.", "USD")
    return [
        portal_record(
            "2.000815",
            name="Chứng thực bản sao từ bản chính",
            channels=[priced("in_person", 2000, COPIES_TEXT), copies_abroad],
            fees_text=f"Trực tiếp: {COPIES_TEXT}\nTrực tiếp: 10 USD(/bản)",
        ),
        portal_record(
            "1.004222",
            name="Đăng ký thường trú",
            channels=[
                priced("in_person", 20000, "20,000 Việt Nam Đồng(Lệ phí đăng ký thường trú)"),
                priced("online", 10000, "10,000 Việt Nam Đồng(thu 10.000 đồng/lần đăng ký)"),
            ],
            fees_text="Trực tiếp: 20,000 Việt Nam Đồng (Lệ phí, Thông tư số 75/2022/TT-BTC)",
        ),
        portal_record(
            "1.000894",
            name="Đăng ký kết hôn",
            channels=[channel("in_person", fee=COUNCIL_TEXT)],
            fees_text=f"Trực tiếp: {COUNCIL_TEXT}",
        ),
        portal_record(
            "2.000913",
            name="Chứng thực hợp đồng",
            channels=[priced("in_person", 50, "50 Việt Nam Đồng(/giao dịch)")],
            fees_text="Trực tiếp: 50 Việt Nam Đồng(/giao dịch)",
        ),
        portal_record("1.001193"),  # Miễn phí, nothing to do
    ]


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def items(code: str) -> list[tuple]:
    version = Procedure.objects.get(code=code).current_version
    return list(
        FeeItem.objects.filter(version=version)
        .order_by("order")
        .values_list("kind", "amount", "rule", "later_from", "later_amount", "maximum", "channel")
    )


def test_the_import_makes_items_from_stated_amounts_and_lists_the_rest(tmp_path):
    out = run("import_catalogue", write_jsonl(tmp_path / "c.jsonl", records()))
    assert items("2.000815") == [("phi", 2000, "per_page", 3, 1000, 200_000, "in_person")]
    assert items("1.004222") == [
        ("le_phi", 20000, "fixed", None, None, None, "in_person"),
        ("le_phi", 10000, "fixed", None, None, None, "online"),
    ]
    assert items("1.000894") == items("2.000913") == items("1.001193") == []
    version = Procedure.objects.get(code="1.004222").current_version
    assert {i.legal_basis for i in FeeItem.objects.filter(version=version)} == {
        "Thông tư số 75/2022/TT-BTC"
    }
    assert "Khoản phí, lệ phí: 3 khoản tạo từ mức thu đã công bố" in out
    to_complete = [line for line in out.splitlines() if line.startswith("Cần bổ sung:")]
    assert to_complete == [
        "Cần bổ sung: 1.000894 Đăng ký kết hôn: mức thu do Nghị quyết của Hội đồng nhân dân "
        "tỉnh quy định.",
        "Cần bổ sung: 2.000815 Chứng thực bản sao từ bản chính: khoản thu bằng ngoại tệ "
        "(10 USD) do cơ quan đại diện ở nước ngoài thu, không thu tại đây.",
        "Cần bổ sung: 2.000913 Chứng thực hợp đồng: mức 50 đ có lẽ là lỗi nhập liệu trong dữ "
        "liệu quốc gia.",
    ]


def test_a_dry_run_makes_nothing(tmp_path):
    run("import_catalogue", write_jsonl(tmp_path / "c.jsonl", records()), "--dry-run")
    assert not FeeItem.objects.exists()


def test_the_command_is_idempotent_and_keeps_what_a_person_edited(tmp_path):
    run("import_catalogue", write_jsonl(tmp_path / "c.jsonl", records()))
    item = FeeItem.objects.get(version__procedure__code="2.000815")
    item.amount = 3000  # a person corrected it
    item.save()
    before = FeeItem.objects.count()
    out = run("fee_items_from_catalogue")
    assert FeeItem.objects.count() == before
    assert FeeItem.objects.get(pk=item.pk).amount == 3000
    assert "Khoản phí, lệ phí: 0 khoản tạo" in out and "2 phiên bản giữ nguyên" in out
    assert "Cần bổ sung: 1.000894" in out  # still to complete


def test_a_new_version_gets_a_copy_of_the_previous_items_to_check(tmp_path):
    run("import_catalogue", write_jsonl(tmp_path / "c.jsonl", records()))
    first = FeeItem.objects.get(version__procedure__code="2.000815")
    FeeExemption.objects.create(item=first, description="Hộ nghèo", legal_basis="TT 226/2016")
    changed = [r for r in records() if r["code"] == "2.000815"]
    changed[0]["name"] = "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    out = run("import_catalogue", write_jsonl(tmp_path / "d.jsonl", changed))
    procedure = Procedure.objects.get(code="2.000815")
    version = procedure.current_version
    assert version is not None and version.number == 2
    copied = FeeItem.objects.get(version=version)
    assert (copied.amount, copied.rule, copied.later_from) == (2000, "per_page", 3)
    assert list(copied.exemptions.values_list("description", flat=True)) == ["Hộ nghèo"]
    assert FeeItem.objects.get(pk=first.pk).version.number == 1  # the old one stays
    assert (
        "Cần bổ sung: 2.000815 Chứng thực bản sao từ bản chính giấy tờ, văn bản: đã sao chép 1 "
        "khoản phí, lệ phí từ phiên bản trước: cần kiểm tra lại."
    ) in out.splitlines()


def test_the_command_can_be_limited_and_dry_run(tmp_path):
    run("import_catalogue", write_jsonl(tmp_path / "c.jsonl", records()))
    FeeItem.objects.all().delete()
    out = run("fee_items_from_catalogue", "--procedure", "1.004222", "--dry-run")
    assert not FeeItem.objects.exists()
    assert "Khoản phí, lệ phí: 2 khoản tạo" in out and "Chạy thử" in out
    run("fee_items_from_catalogue", "--procedure", "1.004222")
    assert set(FeeItem.objects.values_list("version__procedure__code", flat=True)) == {"1.004222"}


def test_a_version_published_in_the_admin_keeps_the_procedure_s_fee_items(
    client, agency_admin, birth_registration
):
    """The agency's administrator edits the procedure: the new version copies the previous
    version's fee items, and the page says they are to be checked."""
    from django.urls import reverse

    from conftest import PASSWORD
    from motcua.testing.admin_forms import admin_post_data

    first = birth_registration.current_version
    FeeItem.objects.create(version=first, order=1, name="Lệ phí", kind="le_phi", amount=8000)
    client.login(username=agency_admin.username, password=PASSWORD)
    url = reverse("admin:catalogue_procedureversion_change", args=[first.pk])
    data = admin_post_data(client.get(url))
    data["name"], data["change_note"] = "Đăng ký khai sinh (sửa đổi)", "Quyết định mới"
    response = client.post(url, data, follow=True)
    second = Procedure.objects.get(pk=birth_registration.pk).current_version
    assert second is not None and second.number == 2
    assert list(FeeItem.objects.filter(version=second).values_list("amount", flat=True)) == [8000]
    messages = [str(m) for m in response.context["messages"]]
    assert any("đã sao chép 1 khoản phí, lệ phí từ phiên bản trước" in m for m in messages)
