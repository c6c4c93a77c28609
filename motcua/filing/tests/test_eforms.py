"""E-form definitions (catalogue.eforms): what the portal can draw and the server can check is
accepted, anything else refused when saved; the schema's verdict reaches the right field; the
demo e-forms are valid and accept a real answer."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalogue import eforms
from motcua.filing.demo import EFORMS, load

MINIMAL = {
    "schema": {
        "type": "object",
        "properties": {"ten": {"type": "string", "title": "Tên", "maxLength": 5}},
        "required": ["ten"],
    },
    "ui": {},
}


@pytest.mark.parametrize(
    "broken",
    [
        {"schema": {"type": "array"}},
        {"schema": {"type": "object", "properties": {}}},
        {"schema": {"type": "object", "properties": {"a": {"type": "object", "title": "A"}}}},
        {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
        {
            "schema": {
                "type": "object",
                "properties": {"a": {"type": "string", "title": "A", "format": "uri"}},
            }
        },
        {
            "schema": {
                "type": "object",
                "properties": {"a": {"type": "string", "title": "A", "maxLength": -1}},
            }
        },
        {**MINIMAL, "ui": {"prefill": {"ten": "password"}}},
        {**MINIMAL, "ui": {"order": ["khong_co"]}},
        {**MINIMAL, "ui": {"widgets": {"ten": "slider"}}},
        {**MINIMAL, "ui": {"colour": "red"}},
        {**MINIMAL, "extra": 1},
    ],
)
def test_definitions_outside_the_subset_are_refused(broken):
    with pytest.raises(eforms.EFormError):
        eforms.check_definition(broken)


@pytest.mark.django_db
def test_a_version_is_not_saved_with_a_broken_eform(birth_registration):
    version = birth_registration.current_version
    version.eform = {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
    with pytest.raises(ValidationError) as raised:
        version.clean()
    assert "eform" in raised.value.message_dict


def test_errors_land_on_their_fields():
    errors = eforms.validate_answers(MINIMAL, {"ten": "quá dài rồi"})
    assert errors == {"ten": ["Tối đa 5 ký tự."]}
    assert eforms.validate_answers(MINIMAL, {}) == {"ten": ["Trường này bắt buộc."]}
    assert eforms.validate_answers(MINIMAL, {"ten": "An"}) == {}


@pytest.mark.parametrize("path", sorted(EFORMS.glob("*.json")), ids=lambda p: p.stem)
def test_the_demo_eforms_are_valid(path):
    eform, _note = load(path)
    specs = eforms.field_specs(eform)
    assert specs and all(spec.title for spec in specs)
    assert {s.name for section in eforms.sections(eform) for s in section.fields} == {
        s.name for s in specs
    }


def test_the_birth_form_accepts_a_real_answer_and_refuses_a_wrong_number():
    eform, _note = load(EFORMS / "1.001193.json")
    answer = {
        "nguoi_yeu_cau": "Nguyễn Văn An", "so_dinh_danh": "042090001234", "quan_he": "cha",
        "ho_ten_tre": "Nguyễn Minh Khôi", "gioi_tinh": "nam", "ngay_sinh": "2026-11-20",
        "noi_sinh": "Bệnh viện", "dan_toc": "Kinh", "quoc_tich": "Việt Nam", "que_quan": "Hà Tĩnh",
        "ho_ten_me": "Lê Thị Hoa", "nam_sinh_me": 1994, "cam_doan": True,
    }  # fmt: skip
    assert eforms.validate_answers(eform, answer) == {}
    wrong = {**answer, "dinh_danh_me": "12345", "ngay_sinh": "2026-02-31"}
    errors = eforms.validate_answers(eform, wrong)
    assert set(errors) == {"dinh_danh_me", "ngay_sinh"}
    shown = dict(row for _title, rows in eforms.display(eform, answer) for row in rows)
    assert shown["Giới tính"] == "Nam" and shown["Ngày, tháng, năm sinh"] == "20/11/2026"


@given(
    st.dictionaries(
        st.sampled_from(["ten", "khac", ""]),
        st.one_of(st.text(), st.integers(), st.none(), st.booleans()),
    )
)
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_answer_gets_a_verdict_never_an_exception(answer):
    """Whatever a request carries, validation answers with messages (no crash, no 500)."""
    errors = eforms.validate_answers(MINIMAL, answer)
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
