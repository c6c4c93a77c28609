"""Vietnamese is the default language: every interface string must be translated."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_a_vietnamese_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not any(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert missing == []


def test_placeholders_survive_translation():
    import re

    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    pattern = re.compile(r"%\((\w+)\)")
    for message in catalogue:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        target = message.string[0] if isinstance(message.string, tuple) else message.string
        assert set(pattern.findall(source)) == set(pattern.findall(target)), source
