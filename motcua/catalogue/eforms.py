"""E-forms (tờ khai điện tử tương tác): the interactive form a procedure version carries for
online filing (Decree 224/2026 art. 14; capabilities.md §2.6). Stored as data on the version:

    {"schema": <JSON Schema 2020-12 of an object>, "ui": <how to show it>}

The schema is the rule: answers are validated on the server with `jsonschema` (conditions
between fields included, `if`/`then`), whatever the page did. The UI part says in which order
the fields come, which are filled from the national identity provider's claims (shown
read-only and taken from the stored account, never from what the browser sends back: Open
Forms #1899), which checklist documents the e-form stands for, the widgets, and the English
titles. Only a small, documented subset of JSON Schema is rendered (docs/online-filing.md);
a definition outside it is refused when the version is saved, not when a citizen opens it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

TYPES = {"string", "integer", "number", "boolean"}
FORMATS = {"date", "email"}
WIDGETS = {"textarea", "radio"}
# What an account holds from the provider's claims (accounts.models.CitizenAccount).
PREFILL_CLAIMS = {"full_name", "id_number", "birth_date", "phone", "email", "address"}
UI_KEYS = {"order", "prefill", "widgets", "stands_for", "en", "enum_titles", "sections"}


class EFormError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldSpec:
    """One field as the page draws it."""

    name: str
    type: str  # string, integer, number, boolean
    title: str
    description: str = ""
    required: bool = False
    format: str = ""  # date, email
    choices: tuple[tuple[Any, str], ...] = ()
    widget: str = ""
    prefill: str = ""  # the account attribute it is filled from, read-only
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    must_be_true: bool = False  # a declaration ("Tôi cam đoan …")
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[FieldSpec, ...]


def check_definition(eform: dict[str, Any]) -> None:
    """Refuse a definition the portal could not draw or the server could not check."""
    if not isinstance(eform, dict) or set(eform) - {"schema", "ui"} or "schema" not in eform:
        raise EFormError(_('An e-form is {"schema": …, "ui": …}.'))
    schema, ui = eform["schema"], eform.get("ui", {})
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise EFormError(_("The e-form's schema must describe an object."))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        message = _("The e-form's schema is not valid JSON Schema: %s") % error.message
        raise EFormError(message) from None
    properties = schema.get("properties") or {}
    if not properties:
        raise EFormError(_("The e-form has no fields."))
    for name, prop in properties.items():
        _check_property(name, prop)
    if not isinstance(ui, dict) or set(ui) - UI_KEYS:
        raise EFormError(
            _("Unknown e-form display settings: %s") % ", ".join(sorted(set(ui) - UI_KEYS))
        )
    named = set(ui.get("order", [])) | set(ui.get("prefill", {})) | set(ui.get("widgets", {}))
    named |= set(ui.get("enum_titles", {})) | set(ui.get("en", {}))
    for section in ui.get("sections", []):
        named |= set(section.get("fields", []))
    unknown = named - set(properties)
    if unknown:
        raise EFormError(
            _("The display settings name unknown fields: %s") % ", ".join(sorted(unknown))
        )
    for name, claim in ui.get("prefill", {}).items():
        if claim not in PREFILL_CLAIMS:
            raise EFormError(
                _("Field %(name)s is filled from an unknown claim %(claim)s.")
                % {"name": name, "claim": claim}
            )
    for name, widget in ui.get("widgets", {}).items():
        if widget not in WIDGETS:
            raise EFormError(
                _("Unknown widget %(widget)s for %(name)s.") % {"widget": widget, "name": name}
            )
    if not all(isinstance(s, str) and s.strip() for s in ui.get("stands_for", [])):
        raise EFormError(_("stands_for lists parts of checklist document names."))


def _check_property(name: str, prop: Any) -> None:
    if not isinstance(prop, dict) or prop.get("type") not in TYPES:
        raise EFormError(_("Field %s needs a type: string, integer, number or boolean.") % name)
    if not str(prop.get("title", "")).strip():
        raise EFormError(_("Field %s needs a title.") % name)
    if prop.get("format") and prop["format"] not in FORMATS:
        raise EFormError(
            _("Field %(name)s: unsupported format %(format)s.")
            % {"name": name, "format": prop["format"]}
        )


def _localised(ui: dict, name: str, key: str, default: str) -> str:
    if (get_language() or "vi").startswith("en"):
        return str(ui.get("en", {}).get(name, {}).get(key) or default)
    return default


def field_specs(eform: dict[str, Any]) -> list[FieldSpec]:
    """The fields in the order the UI schema gives (the schema's order after)."""
    schema, ui = eform["schema"], eform.get("ui", {})
    properties: dict[str, dict] = schema["properties"]
    required = set(schema.get("required", []))
    order = [n for n in ui.get("order", []) if n in properties]
    order += [n for n in properties if n not in order]
    specs = []
    for name in order:
        prop = properties[name]
        choices: tuple[tuple[Any, str], ...] = ()
        if "enum" in prop:
            titles = ui.get("enum_titles", {}).get(name) or [str(v) for v in prop["enum"]]
            en_titles = ui.get("en", {}).get(name, {}).get("enum_titles")
            if en_titles and (get_language() or "vi").startswith("en"):
                titles = en_titles
            choices = tuple(zip(prop["enum"], titles, strict=False))
        specs.append(
            FieldSpec(
                name=name,
                type=prop["type"],
                title=_localised(ui, name, "title", prop["title"]),
                description=_localised(ui, name, "description", prop.get("description", "")),
                required=name in required,
                format=prop.get("format", ""),
                choices=choices,
                widget=ui.get("widgets", {}).get(name, ""),
                prefill=ui.get("prefill", {}).get(name, ""),
                max_length=prop.get("maxLength"),
                minimum=prop.get("minimum"),
                maximum=prop.get("maximum"),
                must_be_true=prop.get("const") is True,
            )
        )
    return specs


def sections(eform: dict[str, Any]) -> list[Section]:
    """The fields grouped as the UI schema's sections say (one untitled group otherwise)."""
    specs = {spec.name: spec for spec in field_specs(eform)}
    groups = []
    placed: set[str] = set()
    ui = eform.get("ui", {})
    for section in ui.get("sections", []):
        names = [n for n in section.get("fields", []) if n in specs and n not in placed]
        placed.update(names)
        title = section.get("title", "")
        if (get_language() or "vi").startswith("en"):
            title = section.get("title_en") or title
        groups.append(Section(title, tuple(specs[n] for n in names)))
    rest = tuple(s for n, s in specs.items() if n not in placed)
    if rest:
        groups.append(Section("", rest))
    return groups


def stands_for(eform: dict[str, Any], component_name: str) -> bool:
    """Does the e-form take the place of this checklist document (the paper declaration)?"""
    fragments = eform.get("ui", {}).get("stands_for", []) if eform else []
    return any(fragment in component_name for fragment in fragments)


MESSAGES = {
    "required": lambda e: _("This field is required."),
    "dependentRequired": lambda e: _("This field is required."),
    "maxLength": lambda e: _("At most %d characters.") % e.validator_value,
    "minLength": lambda e: _("At least %d characters.") % e.validator_value,
    "pattern": lambda e: _("This is not in the expected form."),
    "enum": lambda e: _("Choose one of the options."),
    "format": lambda e: (
        _("Enter a valid date.")
        if e.validator_value == "date"
        else _("Enter a valid e-mail address.")
    ),
    "minimum": lambda e: _("At least %s.") % e.validator_value,
    "maximum": lambda e: _("At most %s.") % e.validator_value,
    "const": lambda e: _("You must confirm this to file."),
    "type": lambda e: _("This value has the wrong type."),
}


def validate_answers(eform: dict[str, Any], answers: dict[str, Any]) -> dict[str, list[str]]:
    """The schema's verdict on `answers`, as messages per field ("" for the whole form)."""
    validator = Draft202012Validator(eform["schema"], format_checker=FormatChecker())
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(answers):
        instance = error.instance if isinstance(error.instance, dict) else {}
        if error.validator == "required":
            names = [n for n in error.validator_value if n not in instance]
        elif error.validator == "dependentRequired":  # {"ho_ten_cha": ["nam_sinh_cha"]}
            names = [
                needed
                for given, needs in error.validator_value.items()
                if given in instance
                for needed in needs
                if needed not in instance
            ]
        else:
            names = [str(error.absolute_path[0])] if error.absolute_path else [""]
        message = MESSAGES.get(str(error.validator), lambda e: _("This value is not accepted."))(
            error
        )
        for name in names:
            if message not in errors.setdefault(name, []):
                errors[name].append(message)
    return errors


def prefill_value(spec: FieldSpec, account: Any) -> Any:
    """The value of a prefilled field, from the account the provider's claims filled."""
    value = getattr(account, spec.prefill, "")
    if isinstance(value, date):
        return value.isoformat()
    return value or ""


def display(
    eform: dict[str, Any], answers: dict[str, Any]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answers as a reader sees them (the back office, the applicant's page): each
    section's (title, [(field title, value in words)]); fields left empty are left out."""
    if not eform or not answers:
        return []
    shown = []
    for section in sections(eform):
        rows = []
        for spec in section.fields:
            if spec.name not in answers:
                continue
            value = answers[spec.name]
            if spec.type == "boolean":
                text = _("Yes") if value else _("No")
            elif spec.choices:
                text = next((str(label) for v, label in spec.choices if v == value), str(value))
            elif spec.format == "date" and isinstance(value, str):
                text = _as_date(value)
            else:
                text = str(value)
            rows.append((spec.title, text))
        if rows:
            shown.append((section.title, rows))
    return shown


def _as_date(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value
