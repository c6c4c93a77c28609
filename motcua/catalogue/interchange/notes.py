"""Repair notes: what the importer changed or assumed in a record, and why.

A note is stored in `ProcedureVersion.import_notes` as {"rule": ..., "subject": ...}: a
stable rule code and the piece of published text it concerns, never a rendered sentence, so
that the stored content does not depend on the language the import ran in. `describe`
renders it. The rules are explained in docs/catalogue-import.md.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SUBJECT_LIMIT = 200

# rule -> (reported, message). Reported notes are listed in the import report and make the
# record count as repaired; the others record a value derived by a general rule.
RULES: dict[str, tuple[bool, str]] = {
    "document_note_moved": (
        True,
        gettext_noop("Row without a count that reads as a note moved to the notes: %(subject)s"),
    ),
    "document_heading_moved": (
        True,
        gettext_noop("Row without a count that is a heading moved to the notes: %(subject)s"),
    ),
    "document_bullet_stripped": (
        True,
        gettext_noop("Leading bullet removed from a document name: %(subject)s"),
    ),
    "form_file_split": (
        True,
        gettext_noop("Template file name moved from the document name to its forms: %(subject)s"),
    ),
    "form_file_unsplit": (
        True,
        gettext_noop("Document name ends in a file name that could not be split off: %(subject)s"),
    ),
    "document_without_count": (
        True,
        gettext_noop(
            "Document kept although no number of originals or copies is given: %(subject)s"
        ),
    ),
    "document_kept_as_note": (
        True,
        gettext_noop("Row without a count under a note heading kept as a note: %(subject)s"),
    ),
    "document_conditional": (
        True,
        gettext_noop("Document needed only in the case it names, not mandatory: %(subject)s"),
    ),
    "document_for_paper_filing": (
        True,
        gettext_noop("Document required when filing in person or by post, not online: %(subject)s"),
    ),
    "document_for_online_filing": (
        True,
        gettext_noop("Document required when filing online, not on paper: %(subject)s"),
    ),
    "document_empty": (True, gettext_noop("Empty document row dropped: %(subject)s")),
    "time_unit_assumed": (
        True,
        gettext_noop("Time limit without a unit read as working days: %(subject)s"),
    ),
    "time_range_upper": (
        True,
        gettext_noop("Time limit given as a range; the upper bound is kept: %(subject)s"),
    ),
    "time_limit_missing": (
        True,
        gettext_noop("No usable time limit published; left empty: %(subject)s"),
    ),
    "time_fee_run_together": (
        True,
        gettext_noop(
            "Time limit and fee amount run together in the source; time limit left empty: "
            "%(subject)s"
        ),
    ),
    "time_unit_unknown": (
        True,
        gettext_noop("Unknown time unit; time limit left empty: %(subject)s"),
    ),
    "fee_shown_as_free": (
        True,
        gettext_noop("Fee shown as free but the text states an amount; kept: %(subject)s"),
    ),
    "fee_foreign_currency": (
        True,
        gettext_noop("Fee in a foreign currency kept as a rule, not an amount: %(subject)s"),
    ),
    "delegated_agency_dropped": (
        True,
        gettext_noop("Delegated agency has no catalogue column; its text: %(subject)s"),
    ),
    "online_level_assumed": (
        False,
        gettext_noop("Online level not published; an online channel exists, so 'partial'"),
    ),
    "applicant_type_unknown": (
        False,
        gettext_noop("Applicant group not mapped to an applicant type: %(subject)s"),
    ),
}


@dataclass(frozen=True)
class Note:
    rule: str
    subject: str = ""

    @classmethod
    def of(cls, rule: str, subject: object = "") -> "Note":
        if rule not in RULES:
            raise ValueError(f"unknown repair rule {rule!r}")
        text = " ".join(str(subject).split())
        if len(text) > SUBJECT_LIMIT:
            text = text[: SUBJECT_LIMIT - 1] + "…"
        return cls(rule, text)

    @property
    def reported(self) -> bool:
        return RULES.get(self.rule, (True, ""))[0]

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "subject": self.subject}


def note_from_json(data: object) -> Note:
    """A stored note back; unknown rules are kept (written by a newer version, say)."""
    if isinstance(data, dict):
        return Note(str(data.get("rule", "")), str(data.get("subject", "")))
    return Note("", str(data))


def describe(note: Note) -> str:
    """The note as a sentence in the active language."""
    message = RULES.get(note.rule, (True, "%(subject)s"))[1]
    return _(message) % {"subject": note.subject}


def unique_notes(notes: list[Note]) -> list[Note]:
    """Notes in order, each once (three channels with the same bare "1" give one note)."""
    return list(dict.fromkeys(notes))
