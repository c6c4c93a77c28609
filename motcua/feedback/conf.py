"""The feedback app's policy settings, each with its default and its source. Read from
Django's settings when set there, else from the environment (docs/feedback.md)."""

import os

from django.conf import settings


def _number(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    try:
        return int(value) if str(value).strip() else default
    except ValueError:
        return default


def rating_edit_hours() -> int:
    """How long after a rating its author may change it (MOTCUA_RATING_EDIT_HOURS, 24): a
    policy of ours (capabilities.md §6.3), not the law's; afterwards it stands as given."""
    return _number("MOTCUA_RATING_EDIT_HOURS", 24)


def device_token_minutes() -> int:
    """How long a counter device's rating token stays valid (MOTCUA_RATING_DEVICE_MINUTES,
    5): the time for the applicant at the counter to press a button, no longer, so that a
    token cannot be kept to rate later (capabilities.md §6.3: a short-lived token)."""
    return _number("MOTCUA_RATING_DEVICE_MINUTES", 5)


def rating_invitations() -> bool:
    """Invite the applicant to rate when the result is returned (MOTCUA_RATING_INVITE, off):
    one more message per dossier, a centre's choice (invitations.py)."""
    value = getattr(settings, "MOTCUA_RATING_INVITE", None)
    if value is None:
        value = os.environ.get("MOTCUA_RATING_INVITE", "")
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def rating_link_days() -> int:
    """How long the rating link sent in a notice stays valid (MOTCUA_RATING_LINK_DAYS, 30)."""
    return _number("MOTCUA_RATING_LINK_DAYS", 30)


# Working days allowed for each step of feedback handling (phản ánh, kiến nghị), counted
# from the later of the sending and the forwarding date (QĐ 766/QĐ-TTg figure 5.2 as the
# formula sheet states it; Decree 20/2008/NĐ-CP art. 9 for forwarding).
DEADLINES = {
    "refuse": ("MOTCUA_FEEDBACK_REFUSE_DAYS", 2, "QĐ 766/QĐ-TTg, 5.2"),
    "supplement": ("MOTCUA_FEEDBACK_SUPPLEMENT_DAYS", 5, "QĐ 766/QĐ-TTg, 5.2"),
    "handle": ("MOTCUA_FEEDBACK_HANDLE_DAYS", 15, "QĐ 766/QĐ-TTg, 5.2"),
    "publish": ("MOTCUA_FEEDBACK_PUBLISH_DAYS", 2, "QĐ 766/QĐ-TTg, 5.2"),
    "forward": ("MOTCUA_FEEDBACK_FORWARD_DAYS", 5, "Nghị định 20/2008/NĐ-CP, Điều 9"),
}


def deadline_days(step: str) -> int:
    name, default, _source = DEADLINES[step]
    return _number(name, default)


def deadline_source(step: str) -> str:
    return DEADLINES[step][2]
