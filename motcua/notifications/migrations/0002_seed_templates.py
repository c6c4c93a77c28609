"""The notices' texts in Vietnamese and English, as data (editable in the admin). The Zalo
ZNS template ids are left empty: a template is approved by Zalo for each Official Account,
and its id set here by the deployment (docs/notifications.md)."""

from django.db import migrations

FOOTER_VI = (
    "\n\nTra cứu hồ sơ: {{ link }}"
    "{% if opt_out_link %}\nKhông muốn nhận thông báo nữa: {{ opt_out_link }}{% endif %}"
)
FOOTER_EN = (
    "\n\nTrack the dossier: {{ link }}"
    "{% if opt_out_link %}\nTo receive no more notices: {{ opt_out_link }}{% endif %}"
)
ZALO = {
    "ten_nguoi_dan": "name",
    "ma_ho_so": "code",
    "trang_thai": "status",
    "co_quan": "agency",
    "thoi_gian": "at",
    "ngay_hen": "due",
    "cta_link": "link",
}

TEMPLATES = {
    "received": {
        "vi": (
            "Hồ sơ {{ code }} đã được tiếp nhận",
            "Kính gửi {{ name }},\n\n{{ agency }} đã tiếp nhận hồ sơ {{ code }} ({{ procedure }})"
            " lúc {{ at }}.\nNgày hẹn trả kết quả: {{ due }}.",
            "{{ agency }}: da tiep nhan ho so {{ code }} luc {{ at }}, hen tra ket qua"
            " {{ due }}. {{ link }}",
        ),
        "en": (
            "Dossier {{ code }} received",
            "Dear {{ name }},\n\n{{ agency }} received dossier {{ code }} ({{ procedure }}) at"
            " {{ at }}.\nThe result is due on {{ due }}.",
            "{{ agency }}: dossier {{ code }} received at {{ at }}, result due {{ due }}."
            " {{ link }}",
        ),
    },
    "not_received": {
        "vi": (
            "Hồ sơ {{ code }} không được tiếp nhận",
            "Kính gửi {{ name }},\n\n{{ agency }} không tiếp nhận hồ sơ {{ code }}"
            " ({{ procedure }}) lúc {{ at }}.\nLý do: {{ reason }}",
            "{{ agency }}: ho so {{ code }} khong duoc tiep nhan luc {{ at }}. Ly do: {{ reason }}",
        ),
        "en": (
            "Dossier {{ code }} not received",
            "Dear {{ name }},\n\n{{ agency }} did not receive dossier {{ code }}"
            " ({{ procedure }}) at {{ at }}.\nReason: {{ reason }}",
            "{{ agency }}: dossier {{ code }} not received at {{ at }}. Reason: {{ reason }}",
        ),
    },
    "supplement": {
        "vi": (
            "Hồ sơ {{ code }} cần bổ sung",
            "Kính gửi {{ name }},\n\nLúc {{ at }}, {{ agency }} đề nghị bổ sung hồ sơ {{ code }}"
            " ({{ procedure }}).\nGiấy tờ cần bổ sung: {{ items }}"
            "{% if reason %}\nLý do: {{ reason }}{% endif %}",
            "{{ agency }}: ho so {{ code }} can bo sung: {{ items }}. {{ link }}",
        ),
        "en": (
            "Dossier {{ code }}: documents to add",
            "Dear {{ name }},\n\nAt {{ at }}, {{ agency }} asked for documents to be added to"
            " dossier {{ code }} ({{ procedure }}).\nDocuments: {{ items }}"
            "{% if reason %}\nReason: {{ reason }}{% endif %}",
            "{{ agency }}: dossier {{ code }} needs: {{ items }}. {{ link }}",
        ),
    },
    "apology": {
        "vi": (
            "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
            "Kính gửi {{ name }},\n\n{{ agency }} xin lỗi ông/bà vì hồ sơ {{ code }}"
            " ({{ procedure }}) chưa có kết quả theo hẹn {{ previous_due }}.\n"
            "Lý do: {{ reason }}\nNgày hẹn trả kết quả mới: {{ due }}.",
            "{{ agency }} xin loi: ho so {{ code }} tre hen {{ previous_due }}, hen moi"
            " {{ due }}. {{ link }}",
        ),
        "en": (
            "Apology and new date for dossier {{ code }}",
            "Dear {{ name }},\n\n{{ agency }} apologises: dossier {{ code }} ({{ procedure }})"
            " could not be resolved by {{ previous_due }}.\nReason: {{ reason }}\n"
            "The result is now due on {{ due }}.",
            "{{ agency }} apologises: dossier {{ code }} is late ({{ previous_due }}), new date"
            " {{ due }}. {{ link }}",
        ),
    },
    "result_ready": {
        "vi": (
            "Hồ sơ {{ code }} đã có kết quả",
            "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả lúc"
            " {{ at }}.\nMời ông/bà nhận kết quả tại {{ agency }}.",
            "{{ agency }}: ho so {{ code }} da co ket qua luc {{ at }}, moi ong/ba den nhan."
            " {{ link }}",
        ),
        "en": (
            "Dossier {{ code }}: the result is ready",
            "Dear {{ name }},\n\nThe result of dossier {{ code }} ({{ procedure }}) is ready"
            " since {{ at }}.\nPlease collect it at {{ agency }}.",
            "{{ agency }}: the result of dossier {{ code }} is ready ({{ at }}). {{ link }}",
        ),
    },
    "returned": {
        "vi": (
            "Hồ sơ {{ code }} đã trả kết quả",
            "Kính gửi {{ name }},\n\n{{ agency }} đã trả kết quả hồ sơ {{ code }}"
            " ({{ procedure }}) lúc {{ at }}.",
            "{{ agency }}: da tra ket qua ho so {{ code }} luc {{ at }}.",
        ),
        "en": (
            "Dossier {{ code }}: result returned",
            "Dear {{ name }},\n\n{{ agency }} returned the result of dossier {{ code }}"
            " ({{ procedure }}) at {{ at }}.",
            "{{ agency }}: result of dossier {{ code }} returned at {{ at }}.",
        ),
    },
}


def seed(apps, schema_editor):
    NoticeTemplate = apps.get_model("notifications", "NoticeTemplate")
    for event, languages in TEMPLATES.items():
        for language, (subject, body, sms) in languages.items():
            footer = FOOTER_VI if language == "vi" else FOOTER_EN
            NoticeTemplate.objects.get_or_create(
                event=event,
                language=language,
                defaults={
                    "subject": subject,
                    "body": body + footer,
                    "sms": sms,
                    "zalo_params": ZALO,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
