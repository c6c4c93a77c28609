"""Catalogue content for the portal and API tests, built through the catalogue services."""

from decimal import Decimal

from conftest import procedure_values
from motcua.catalogue.models import Field, Level, OnlineLevel, Procedure, TimeUnit
from motcua.catalogue.services import create_draft_version, create_procedure, publish_version


def criminal_record_check(justice_department) -> Procedure:
    """A province-level procedure implemented by the justice department, with a fee, cases,
    a legal basis and a time limit that differs by channel."""
    field = Field.objects.create(code="ly-lich-tu-phap", name="Lý lịch tư pháp")
    values = procedure_values(
        field,
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        levels=[Level.PROVINCE],
        online_level=OnlineLevel.PARTIAL,
        time_limit_value=Decimal(10),
        time_limit_unit=TimeUnit.WORKING_DAYS,
        time_limit_text="10 Ngày làm việc",
        channel_time_limits=[
            {"channel": "in_person", "text": "10 Ngày làm việc"},
            {"channel": "online", "value": 7, "unit": "working_days"},
        ],
        implementing_agency_text="Sở Tư pháp",
        target_subjects="Công dân Việt Nam",
        requirements="Người yêu cầu từ đủ 14 tuổi trở lên.",
        steps_text="Bước 1: Nộp hồ sơ tại Sở Tư pháp.",
        result="Phiếu lý lịch tư pháp",
        legal_basis=[{"name": "Luật Lý lịch tư pháp", "code": "28/2009/QH12"}],
        boundary_independent=True,
    )
    return create_procedure(
        "2.000488",
        actor=None,
        values=values,
        implementing_agencies=[justice_department],
        components=[
            {
                "order": 1,
                "case": "Trường hợp nộp trực tiếp",
                "name": "Tờ khai yêu cầu cấp Phiếu",
                "originals": 1,
                "form_files": ["Mau_03-2013-TT-LLTP.docx"],
            },
            {
                "order": 2,
                "case": "Trường hợp nộp trực tiếp",
                "name": "Bản chụp căn cước",
                "originals": 0,
                "copies": 1,
                "is_mandatory": False,
            },
            {"order": 3, "case": "Trường hợp ủy quyền", "name": "Văn bản ủy quyền", "originals": 1},
        ],
        fees=[
            {
                "order": 1,
                "name": "Phí cung cấp thông tin lý lịch tư pháp",
                "amount": Decimal(200000),
            },
            {"order": 2, "name": "Phí đối với sinh viên", "rule": "Bằng 50% mức thu chung"},
        ],
    )


def publish_second_version(procedure: Procedure, **changes) -> None:
    """Publish a new version of `procedure` with `changes`; the old one is superseded."""
    version = procedure.current_version
    values = procedure_values(version.field, **changes)
    publish_version(create_draft_version(procedure, actor=None, values=values), actor=None)


def many_procedures(field, count: int, *, prefix: str = "Cấp giấy phép số") -> list[Procedure]:
    return [
        create_procedure(
            f"3.{100000 + n:06d}",
            actor=None,
            values=procedure_values(field, name=f"{prefix} {n:02d}", levels=[Level.PROVINCE]),
        )
        for n in range(count)
    ]
