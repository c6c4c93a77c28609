"""Catalogue search over a catalogue the size of the real one (2,832 procedures).

Builds ~2,900 synthetic published procedures in a throwaway test database (SQLite in memory
by default; PostgreSQL with DATABASE_URL, where the trigram index of catalogue 0002 exists),
then runs 200 searches through motcua.catalogue.search the way the list page does (count +
first page of 25). Baseline, same run: a naive Python scan that folds every name per query.
"""

import random
import statistics
import time
from collections.abc import Callable

from django.db import connection

from motcua.catalogue.models import Field, Level, OnlineLevel, Procedure, ProcedureVersion
from motcua.catalogue.search import CatalogueQuery, search_procedures
from motcua.catalogue.text import fold, search_terms

from .scratch import scratch_database

PROCEDURES = 2_900
QUERIES = 200
PAGE_SIZE = 25

FIELDS = [
    "Hộ tịch", "Chứng thực", "Nuôi con nuôi", "Quốc tịch", "Lý lịch tư pháp", "Đất đai",
    "Môi trường", "Tài nguyên nước", "Đường bộ", "Đường thủy nội địa", "Hàng hải", "Xây dựng",
    "Nhà ở", "Quy hoạch kiến trúc", "Thuế", "Hải quan", "Kho bạc nhà nước", "Chứng khoán",
    "Bảo hiểm", "Đăng ký kinh doanh", "Đầu tư", "Ngân hàng", "Ngoại hối", "Đăng ký, quản lý cư trú",
    "Xuất nhập cảnh", "Phòng cháy, chữa cháy", "Trồng trọt", "Chăn nuôi", "Thú y", "Thủy sản",
    "Lâm nghiệp", "Thủy lợi", "Khiếu nại, tố cáo", "Trợ giúp pháp lý", "Luật sư", "Công chứng",
    "Giám định tư pháp", "Quản lý công sản", "Dự trữ quốc gia", "Nghĩa vụ quân sự",
]  # fmt: skip
ACTIONS = [
    "Đăng ký", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Xác nhận",
    "Chứng thực", "Thẩm định", "Phê duyệt", "Chấp thuận", "Đăng ký lại", "Sửa đổi, bổ sung",
    "Xóa đăng ký", "Công nhận", "Giải quyết", "Thông báo",
]  # fmt: skip
OBJECTS = [
    "khai sinh", "kết hôn", "khai tử", "thường trú", "tạm trú", "giấy phép lái xe",
    "giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản gắn liền với đất",
    "giấy phép xây dựng", "giấy chứng nhận đăng ký doanh nghiệp", "giấy phép môi trường",
    "phiếu lý lịch tư pháp", "hộ chiếu phổ thông", "thẻ căn cước", "giấy phép khai thác nước",
    "chứng chỉ hành nghề", "giấy chứng nhận đủ điều kiện kinh doanh", "biện pháp bảo đảm",
    "thay đổi, cải chính, bổ sung thông tin hộ tịch", "giám hộ", "nhận cha, mẹ, con",
    "phương tiện thủy nội địa", "mã số thuế", "hóa đơn điện tử", "khiếu nại lần đầu",
    "hợp đồng, giao dịch", "bản sao từ sổ gốc", "nuôi con nuôi trong nước", "quốc tịch Việt Nam",
]  # fmt: skip
QUALIFIERS = [
    "", "", "", "có yếu tố nước ngoài", "tại cấp xã", "tại cấp tỉnh", "cho tổ chức",
    "cho cá nhân", "trong trường hợp bị mất, hư hỏng", "lưu động",
    "đối với doanh nghiệp nhà nước", "thực hiện tại cấp Trung ương", "tại khu vực biên giới",
    "cho người đã có hồ sơ, giấy tờ cá nhân",
]  # fmt: skip
SEARCHES = [
    "dang ky khai sinh", "khai sinh", "ket hon", "thuong tru", "tam tru", "giay phep lai xe",
    "cap lai", "cap doi giay phep", "quyen su dung dat", "giay phep xay dung", "doanh nghiep",
    "ly lich tu phap", "ho chieu", "can cuoc", "ma so thue", "hoa don dien tu", "nuoc ngoai",
    "chung thuc ban sao", "giam ho", "ho tich", "dat dai", "thuy noi dia", "1.000123", "000456",
    "xac nhan", "khieu nai", "bien gioi", "nuoi con nuoi", "quoc tich viet nam", "bao dam",
    "Đăng ký kết hôn có yếu tố nước ngoài", "GIẤY PHÉP MÔI TRƯỜNG", "chung chi hanh nghe",
    "xoa dang ky", "luu dong", "cap tinh", "khong co thu tuc nay",
]  # fmt: skip
FILTERS = [
    {},
    {},
    {"level": Level.COMMUNE},
    {"level": Level.PROVINCE},
    {"online_level": OnlineLevel.END_TO_END},
]


def run() -> None:
    with scratch_database("motcua-bench-catalogue-"):
        _build_catalogue(random.Random(20250701))
        queries = _queries()
        in_db = _measure(queries, _search_py)
        rows = _catalogue_rows()
        naive = _measure(queries, lambda query: _naive_scan(rows, query))
        _report(connection.vendor, in_db, naive)


def _name(rng: random.Random) -> str:
    words = [rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)]
    return " ".join(word for word in words if word)


def _build_catalogue(rng: random.Random) -> None:
    fields = Field.objects.bulk_create(
        Field(code=f"lv-{n:03d}", name=name) for n, name in enumerate(FIELDS)
    )
    procedures = Procedure.objects.bulk_create(
        _procedure(n, rng, rng.choice(fields)) for n in range(PROCEDURES)
    )
    versions = ProcedureVersion.objects.bulk_create(
        _version(procedure, rng) for procedure in procedures
    )
    for procedure, version in zip(procedures, versions, strict=True):
        procedure.current_version = version
    Procedure.objects.bulk_update(procedures, ["current_version"], batch_size=500)


def _procedure(n: int, rng: random.Random, field: Field) -> Procedure:
    code = f"{rng.choice('123')}.{n:06d}"
    name = _name(rng)
    levels = sorted(rng.sample(Level.values, rng.choice([1, 1, 2])))
    return Procedure(
        code=code,
        name=name,
        field=field,
        levels_index=" " + " ".join(levels) + " ",
        online_level=rng.choice(OnlineLevel.values),
        search_text=fold(f"{code} {name} {field.name}"),
    )


def _version(procedure: Procedure, rng: random.Random) -> ProcedureVersion:
    return ProcedureVersion(
        procedure=procedure,
        number=1,
        status=ProcedureVersion.Status.PUBLISHED,
        name=procedure.name,
        field=procedure.field,
        levels=procedure.levels_index.split(),
        online_level=procedure.online_level,
        time_limit_value=rng.choice([1, 3, 5, 10, 15, 20, 30]),
        time_limit_unit="working_days",
    )


def _queries() -> list[CatalogueQuery]:
    return [
        CatalogueQuery(text=SEARCHES[n % len(SEARCHES)], **FILTERS[n % len(FILTERS)])
        for n in range(QUERIES)
    ]


def _search_py(query: CatalogueQuery) -> tuple[int, list]:
    procedures = search_procedures(query)
    return procedures.count(), list(procedures[:PAGE_SIZE])


def _catalogue_rows() -> list[tuple[str, str, str, str, str]]:
    """What a naive implementation keeps in memory: the raw rows, loaded once (not timed)."""
    return list(
        Procedure.objects.published().values_list(
            "code", "name", "field__name", "levels_index", "online_level"
        )
    )


def _naive_scan(rows: list[tuple[str, str, str, str, str]], query: CatalogueQuery):
    terms = search_terms(query.text)
    hits = [
        row
        for row in rows
        if all(term in fold(f"{row[0]} {row[1]} {row[2]}") for term in terms)
        and (not query.level or f" {query.level} " in row[3])
        and (not query.online_level or row[4] == query.online_level)
    ]
    hits.sort(key=lambda row: fold(row[1]))
    return len(hits), hits[:PAGE_SIZE]


def _measure(queries: list[CatalogueQuery], search: Callable) -> list[float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        timings.append(time.perf_counter() - started)
    return timings


def _report(vendor: str, in_db: list[float], naive: list[float]) -> None:
    def line(label: str, timings: list[float]) -> str:
        qps = len(timings) / sum(timings)
        median = statistics.median(timings) * 1000
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1] * 1000
        return f"   {label:<34} {qps:8.0f} q/s   median {median:6.2f} ms   p95 {p95:6.2f} ms"

    print(
        f"   {PROCEDURES} procedures, {len(in_db)} searches (count + first {PAGE_SIZE}), {vendor}"
    )
    print(line("catalogue.search (database)", in_db))
    print(line("baseline: Python scan, fold per query", naive))
    print(f"   ratio: {sum(naive) / sum(in_db):.1f}x the baseline's throughput")
