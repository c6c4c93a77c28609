"""Forms of the public portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Level, OnlineLevel
from motcua.catalogue.search import (
    CatalogueQuery,
    agencies_with_procedures,
    fields_with_procedures,
)

QUERY_MAX_LENGTH = 200


class CatalogueSearchForm(forms.Form):
    """The catalogue filters, read from the query string. Agencies and fields are given by
    their codes so that links stay readable and stable across databases."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=QUERY_MAX_LENGTH, widget=forms.SearchInput
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=agencies_with_procedures(),
        to_field_name="code",
        required=False,
        empty_label=_("All agencies"),
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=fields_with_procedures(),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    online = forms.ChoiceField(
        label=_("Online"), required=False, choices=[("", _("Any")), *OnlineLevel.choices]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("e.g. dang ky khai sinh, or 1.001193")}
        )

    def to_query(self) -> CatalogueQuery:
        """The valid part of the input; a bad value is reported by the form and ignored."""
        data = self.cleaned_data if self.is_bound else {}
        agency, field = data.get("agency"), data.get("field")
        return CatalogueQuery(
            text=data.get("q", ""),
            agency_id=agency.pk if agency else None,
            field_id=field.pk if field else None,
            level=data.get("level", ""),
            online_level=data.get("online", ""),
        )
