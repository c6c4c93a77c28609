"""Turn a rendered Django admin change form (and its inlines) into POST data, as a browser
would submit it unchanged, so tests can edit one field and post."""

from django.forms import BoundField


def _value(bound: BoundField):
    value = bound.value()
    widget = bound.field.widget
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if hasattr(widget, "format_value") and not isinstance(value, bool | int | float | str):
        formatted = widget.format_value(value)
        return "" if formatted is None else formatted
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def form_data(form) -> dict:
    data = {}
    for name in form.fields:
        bound = form[name]
        if bound.field.disabled:
            continue
        value = _value(bound)
        if value == "" and bound.field.widget.__class__.__name__ == "CheckboxInput":
            continue
        data[bound.html_name] = value
    return data


def admin_post_data(response) -> dict:
    """POST data reproducing the admin form in `response` (a GET of a change/add view)."""
    context = response.context
    data = form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-{key}": value
                for key, value in formset.management_form.initial.items()
            }
        )
        for form in formset.initial_forms:
            data.update(form_data(form))
    return data
