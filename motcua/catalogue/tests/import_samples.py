"""Records in the national portal schema (../shared/data/procedures/README.md), shaped like
the real file, for the import and export tests."""

import json
import re
from pathlib import Path
from typing import Any

from motcua.audit.models import AuditEvent
from motcua.catalogue.models import (
    Component,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
)


def channel(kind: str, time_limit: str | None = "1 Ngày làm việc", fee: str = "Miễn phí"):
    """A channel entry; value and unit split from `time_limit` as the shared file does."""
    number = re.match(r"\d+", time_limit or "")
    unit = (time_limit or "")[number.end() :].strip() if number else ""
    return {
        "channel": kind,
        "channel_vi": {"in_person": "Trực tiếp", "online": "Trực tuyến"}.get(kind, kind),
        "time_limit": time_limit,
        "time_limit_value": float(number.group()) if number else None,
        "time_limit_unit": unit if unit in {"Ngày làm việc", "Ngày", "Giờ", "Tháng"} else None,
        "fee_and_note_text": fee,
        "fee_amounts": [],
        "shown_as_free": fee.startswith("Miễn phí"),
    }


def document(name: str, originals: int = 1, copies: int = 0, files=(), case=None):
    return {
        "case": case,
        "name": name,
        "originals": originals,
        "copies": copies,
        "form_files": list(files),
    }


def portal_record(code: str = "1.001193", **overrides: Any) -> dict[str, Any]:
    record = {
        "code": code,
        "name": "Đăng ký khai sinh",
        "publishing_agency": "Bộ Tư pháp",
        "decision_number": "1872/QĐ-BTP",
        "level": "Cấp xã",
        "levels": ["commune"],
        "procedure_type": "TTHC được luật giao quy định chi tiết",
        "field": "Hộ tịch",
        "target_subjects": "Công dân Việt Nam, Người nước ngoài",
        "agency": "Ủy ban nhân dân cấp xã",
        "competent_authority": "Ủy ban nhân dân cấp xã",
        "delegated_agency": None,
        "coordinating_agency": None,
        "receiving_address": None,
        "steps_text": "Bước 1: Người yêu cầu nộp hồ sơ.\nBước 2: Công chức tư pháp kiểm tra.",
        "channels": [channel("in_person"), channel("online")],
        "online_available": True,
        "online_level": None,
        "time_limit_text": "1 Ngày làm việc",
        "fees_text": "Miễn phí",
        "documents": [
            document("Tờ khai đăng ký khai sinh", files=["TK-khai-sinh.docx"]),
            document("Giấy chứng sinh"),
        ],
        "documents_note": None,
        "requirements": None,
        "result": "Giấy khai sinh",
        "results": [{"name": "Giấy khai sinh", "code": "KQ.G17.000001"}],
        "legal_basis": [{"name": "Luật Hộ tịch 2014", "code": "60/2014/QH13"}],
        "legal_basis_text": "Luật Hộ tịch 201460/2014/QH13",
        "source": {"dataset": "chatbot-tthc/chatbot_tthc", "path": f"raw/{code}.json"},
    }
    record.update(overrides)
    return record


def repairable_record(code: str = "2.000635") -> dict[str, Any]:
    """Every defect the README lists, once."""
    return portal_record(
        code,
        name="Cấp bản sao Trích lục hộ tịch",
        target_subjects="Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Đảng viên",
        channels=[
            channel("in_person", "1", fee="Miễn phí(Lệ phí: 8.000 đồng/bản sao)"),
            channel("online", "1", fee="Miễn phí(Lệ phí: 8.000 đồng/bản sao)"),
            channel("postal", None),
        ],
        documents=[
            document("- Tờ khai theo mẫu quy định tại Thông tư 04/2020/TT-BTPMẫu TK01.docx"),
            document("+ Giấy tờ tùy thân (nếu có)", originals=0, copies=1),
            document("- Trường hợp ủy quyền thì nộp văn bản ủy quyền.", originals=0, copies=0),
            document("Giấy tờ phải xuất trình:", originals=0, copies=0),
        ],
        documents_note="Người yêu cầu được trả kết quả trong ngày.",
        delegated_agency="Ủy ban nhân dân cấp xã được ủy quyền",
    )


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """One line per item: dicts as JSON, strings as they are (for broken lines)."""
    text = "".join(
        (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
        for line in lines
    )
    path.write_text(text, encoding="utf-8")
    return path


def catalogue_state() -> tuple:
    """Everything an import may change, to compare before and after."""
    return (
        list(Procedure.objects.order_by("code").values_list("code", "current_version_id")),
        list(ProcedureVersion.objects.order_by("pk").values_list("pk", "status")),
        Field.objects.count(),
        AuditEvent.objects.count(),
    )


def wipe_catalogue() -> None:
    """Delete the catalogue without the cascade collector (other apps' tables need not
    exist yet); the tests have no rows that point at it, except what other apps' import
    hooks derived from the versions (fee items): those go first."""
    for relation in ProcedureVersion._meta.related_objects:
        if relation.related_model._meta.app_label != "catalogue":
            relation.related_model._default_manager.all().delete()
    Procedure.objects.update(current_version=None)
    for model in (Component, Fee, ProcessStep, ProcedureVersion.implementing_agencies.through):
        model.objects.all()._raw_delete(model.objects.db)
    for model in (ProcedureVersion, Procedure, Field):
        model.objects.all()._raw_delete(model.objects.db)
