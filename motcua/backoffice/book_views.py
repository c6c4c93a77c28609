"""The tracking book (Sổ theo dõi hồ sơ, Circular 01/2018 Mẫu 06) of an agency for a period,
as PDF or Excel, for the agencies the staff member may see."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.documents.tracking_book import tracking_book_pdf, tracking_book_xlsx
from motcua.dossiers.permissions import visible_agency_ids
from motcua.organisations.models import Agency

MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BookForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    date_from = forms.DateField(label=_("From (dd/mm/yyyy)"))
    date_to = forms.DateField(label=_("To (dd/mm/yyyy)"))
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "Excel")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = visible_agency_ids(user)
        agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies.order_by("code")
        only = list(agencies.values_list("pk", flat=True)[:2])
        if len(only) == 1:  # nothing to choose: the clerk's own agency, no empty "---------"
            field.initial = only[0]
            field.empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and (end < start or (end - start).days > MAX_DAYS):
            raise forms.ValidationError(_("Choose a period of at most one year, in order."))
        return data


@login_required
def tracking_book(request):
    today = timezone.localdate()
    initial = {"date_from": date(today.year, today.month, 1), "date_to": today}
    form = BookForm(request.GET or None, user=request.user, initial=initial)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        args = (data["agency"], data["date_from"], data["date_to"])
        name = (
            f"so-theo-doi-{data['agency'].code}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
        )
        if data["format"] == "xlsx":
            response = HttpResponse(tracking_book_xlsx(*args), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = HttpResponse(tracking_book_pdf(*args), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return render(
        request, "backoffice/tracking_book.html", {"form": form}, status=400 if request.GET else 200
    )
