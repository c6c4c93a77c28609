"""Demo ratings and feedback (seed_demo runs `seed_demo_feedback`): ratings of the demo
dossiers whose result was returned, spread over the months of the history, across the
rating channels and the four levels; a dozen feedback items taken through the register's
services to every state, three of them with a published answer. Safe to run again: a
dossier already rated is left alone, and each item carries a fixed form token (the register
gives back the first item for a token it knows)."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status
from motcua.organisations.models import Agency

from . import register
from .models import Channel, Criterion, Feedback, Level, Rating
from .ratings import Given, record_rating

RATED_SHARE = 0.35  # of the returned dossiers
MAX_RATINGS = 1200  # keeps `make demo` quick
CHANNELS = [  # (channel, weight): most ratings at the counter's device
    (Channel.DEVICE, 40),
    (Channel.PORTAL, 20),
    (Channel.NOTICE_LINK, 15),
    (Channel.KIOSK, 10),
    (Channel.PAPER, 15),
]
LEVELS = [
    (Level.VERY_SATISFIED, 58),
    (Level.SATISFIED, 28),
    (Level.ACCEPTABLE, 9),
    (Level.DISSATISFIED, 5),
]
COMMENTS = {
    Level.VERY_SATISFIED: ["Cán bộ hướng dẫn tận tình, nhận kết quả trước hẹn.", ""],
    Level.SATISFIED: ["Thủ tục nhanh gọn.", ""],
    Level.ACCEPTABLE: ["Phải chờ lâu ở quầy.", ""],
    Level.DISSATISFIED: ["Phải đi lại nhiều lần để bổ sung giấy tờ."],
}
CENTRE, DEPARTMENT = "H42.01", "H42.12"
CLERK, SPECIALIST, LEADER = "tiepnhan", "chuyenvien", "lanhdao"


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def seed_ratings(seed: int) -> int:
    """Rate RATED_SHARE of the returned dossiers, each chosen and rated by a generator seeded
    with its id: the same dossiers and ratings on every run, none twice."""
    returned = Dossier.objects.filter(status=Status.RETURNED, returned_at__isnull=False)
    rated = set(Rating.objects.values_list("dossier_id", flat=True))
    chosen = []
    for dossier in returned.order_by("pk").select_related("received_by"):
        rng = random.Random(seed * 1_000_003 + dossier.pk)
        if rng.random() < RATED_SHARE and dossier.pk not in rated:
            chosen.append((dossier, rng))
        if len(chosen) + len(rated) >= MAX_RATINGS:
            break
    now = timezone.now()
    for dossier, rng in chosen:
        channel = _pick(rng, CHANNELS)
        level = _pick(rng, LEVELS)
        liked = None
        if channel in (Channel.DEVICE, Channel.PORTAL) and rng.random() < 0.7:
            liked = level >= Level.SATISFIED
        criteria: dict[str, int] = {}
        if channel in (Channel.PAPER, Channel.PORTAL):
            criteria = {
                str(c): max(1, min(4, int(level) + rng.choice((-1, 0, 0, 1)))) for c in Criterion
            }
        late = (
            timedelta(minutes=2) if channel == Channel.DEVICE else timedelta(days=rng.randint(0, 3))
        )
        counter = f"Q{rng.randint(1, 6):02d}" if channel == Channel.DEVICE else ""
        returned_at = dossier.returned_at or now  # the query asks for a returned_at
        record_rating(
            dossier=dossier,
            channel=channel,
            given=Given(level, liked, criteria, rng.choice(COMMENTS[level])),
            officer=dossier.received_by if channel == Channel.DEVICE else None,
            counter_code=counter,
            now=min(returned_at + late, now),
        )
    return len(chosen)


@dataclass
class Item:
    """A demo feedback item: what is sent, how long ago, and how far it goes."""

    key: str
    source: str
    subject: str
    title: str
    body: str
    days_ago: int
    steps: tuple[str, ...]
    liked: bool | None = None


SENDERS = [
    register.Sender("Nguyễn Văn Hải", "Số 12 Phan Đình Phùng, phường Thành Sen", "0912345678"),
    register.Sender("Trần Thị Hoa", "Thôn Trung Tiến, xã Thạch Hà", "0987654321", "hoa@example.vn"),
    register.Sender("Lê Minh Tuấn", "Số 5 Hà Huy Tập, phường Thành Sen", "0905111222"),
]
F = Feedback
ITEMS = [
    Item("01", F.Source.PORTAL, F.Subject.PROCEDURE, "Hỏi về giấy tờ khi đăng ký khai sinh",
         "Khi đăng ký khai sinh cho con, tôi có cần nộp bản sao giấy chứng nhận kết hôn không?",
         0, ()),
    Item("02", F.Source.PHONE, F.Subject.BEHAVIOUR, "Phản ánh thái độ tại quầy số 3",
         "Cán bộ tại quầy số 3 trả lời thiếu nhã nhặn khi tôi hỏi về tiến độ hồ sơ.", 0, ()),
    Item("03", F.Source.PORTAL, F.Subject.RULE, "Kiến nghị rút ngắn thời hạn cấp phiếu lý lịch",
         "Đề nghị rút ngắn thời hạn cấp Phiếu lý lịch tư pháp xuống 5 ngày làm việc.", 1,
         ("classify:policy",)),
    Item("04", F.Source.PORTAL, F.Subject.PROCEDURE, "Quảng cáo dịch vụ",
         "Nội dung không liên quan đến thủ tục hành chính.", 0, ("classify:other", "refuse")),
    Item("05", F.Source.LETTER, F.Subject.PROCEDURE, "Chậm trả kết quả chứng thực",
         "Hồ sơ chứng thực của tôi đã quá hẹn hai ngày mà chưa có kết quả.", 2,
         ("classify:procedure", "forward")),
    Item("06", F.Source.PORTAL, F.Subject.PROCEDURE, "Không rõ hồ sơ cần bổ sung",
         "Tôi nhận được yêu cầu bổ sung nhưng không rõ cần bổ sung giấy tờ gì.", 2,
         ("classify:procedure", "forward", "ask_supplement")),
    Item("07", F.Source.IN_PERSON, F.Subject.BEHAVIOUR, "Cán bộ yêu cầu nộp thêm giấy tờ",
         "Cán bộ yêu cầu tôi nộp thêm giấy tờ không có trong danh mục thành phần hồ sơ.", 3,
         ("classify:staff_behaviour", "forward", "start_handling")),
    Item("08", F.Source.PORTAL, F.Subject.PROCEDURE, "Lệ phí cấp bản sao trích lục",
         "Lệ phí cấp bản sao trích lục hộ tịch hiện nay là bao nhiêu?", 3,
         ("classify:procedure", "forward", "start_handling", "answer")),
    Item("09", F.Source.PORTAL, F.Subject.RULE, "Nộp hồ sơ trực tuyến không cần bản giấy",
         "Nộp hồ sơ trực tuyến rồi có phải nộp thêm bản giấy khi nhận kết quả không?", 5,
         ("classify:policy", "forward", "start_handling", "answer", "approve")),
    Item("10", F.Source.PORTAL, F.Subject.PROCEDURE, "Thời hạn cấp Phiếu lý lịch tư pháp",
         "Xin hỏi thời hạn cấp Phiếu lý lịch tư pháp số 1 là bao lâu? Số điện thoại của tôi "
         "là 0912345678.", 4,
         ("classify:procedure", "forward", "start_handling", "answer", "approve", "publish"),
         True),
    Item("11", F.Source.PORTAL, F.Subject.BEHAVIOUR, "Chờ lâu tại bộ phận một cửa",
         "Tôi phải chờ hơn một giờ mới được tiếp nhận hồ sơ.", 5,
         ("classify:staff_behaviour", "forward", "start_handling", "answer", "approve",
          "publish"), False),
    Item("12", F.Source.LETTER, F.Subject.PROCEDURE, "Chứng thực bản sao từ bản chính",
         "Chứng thực bản sao có cần mang theo bản chính không?", 6,
         ("classify:procedure", "forward", "start_handling", "answer", "approve", "publish")),
]  # fmt: skip
ANSWERS = {
    "08": "Lệ phí cấp bản sao trích lục hộ tịch là 8.000 đồng/bản theo quy định của Bộ Tài chính.",
    "09": "Hồ sơ nộp trực tuyến đã đủ thành phần thì không phải nộp lại bản giấy.",
    "10": "Thời hạn cấp Phiếu lý lịch tư pháp là 10 ngày kể từ ngày nhận hồ sơ hợp lệ.",
    "11": "Trung tâm đã bổ sung cán bộ tiếp nhận vào giờ cao điểm. Xin cảm ơn ông/bà đã phản ánh.",
    "12": "Người yêu cầu chứng thực xuất trình bản chính kèm bản sao cần chứng thực.",
}


def _step(item: Feedback, step: str, users: dict, department: Agency, spec: Item) -> Feedback:
    action, _sep, arg = step.partition(":")
    clerk, specialist, leader = users[CLERK], users[SPECIALIST], users[LEADER]
    if action == "classify":
        return register.classify_feedback(item, actor=clerk, classification=arg)
    if action == "refuse":
        reason = "Nội dung không thuộc phạm vi phản ánh, kiến nghị về quy định hành chính."
        return register.refuse_feedback(item, actor=clerk, reason=reason)
    if action == "forward":
        return register.forward_feedback(item, actor=clerk, agency=department)
    if action == "ask_supplement":
        note = "Đề nghị cho biết mã số hồ sơ và ngày nhận yêu cầu bổ sung."
        return register.ask_supplement(item, actor=specialist, note=note)
    if action == "start_handling":
        return register.start_handling(item, actor=specialist)
    if action == "answer":
        answer = ANSWERS.get(spec.key, "Sở đã kiểm tra và chấn chỉnh việc tiếp nhận hồ sơ.")
        # The stock answer corrects the reception: the agency was partly at fault.
        verdict = ""
        if item.needs_verdict:
            partly = spec.key not in ANSWERS
            verdict = Feedback.Verdict.PARTLY if partly else Feedback.Verdict.NOT_FOUNDED
        return register.answer_feedback(item, actor=specialist, answer=answer, verdict=verdict)
    if action == "approve":
        return register.approve_answer(item, actor=leader)
    if action == "publish":
        texts = register.proposed_publication(item)
        item = register.publish_answer(
            item,
            actor=leader,
            title=texts["public_title"],
            body=texts["public_body"],
            answer=texts["public_answer"],
        )
        if spec.liked is not None:
            item = register.react_to_answer(item, liked=spec.liked)
        return item
    raise ValueError(step)


def seed_items() -> tuple[int, int] | None:
    """(items created, items there already); None without the demo agencies and accounts."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=(CENTRE, DEPARTMENT))}
    users = get_user_model().objects.in_bulk([CLERK, SPECIALIST, LEADER], field_name="username")
    if len(agencies) < 2 or len(users) < 3:
        return None
    created = 0
    now = timezone.now()
    for number, spec in enumerate(ITEMS):
        submission = register.Submission(
            source=spec.source,
            agency=agencies[CENTRE],
            sender=SENDERS[number % len(SENDERS)],
            subject=spec.subject,
            title=spec.title,
            body=spec.body,
            received_at=now - timedelta(days=spec.days_ago),
            token=f"demo-feedback-{spec.key}",
        )
        clerk = users[CLERK] if spec.source != Feedback.Source.PORTAL else None
        item, new = register.receive_feedback(submission, actor=clerk)
        if not new:
            continue
        created += 1
        for step in spec.steps:
            item = _step(item, step, users, agencies[DEPARTMENT], spec)
    return created, len(ITEMS) - created


def seed_feedback(seed: int = 2026) -> str:
    rated = seed_ratings(seed)
    items = seed_items()
    if items is None:
        return f"Ratings: {rated} added. Feedback: the demo agencies and accounts are missing."
    return f"Ratings: {rated} added. Feedback items: {items[0]} added, {items[1]} there already."
