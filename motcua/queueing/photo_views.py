"""Staff photos: a staff member sets or removes their own photo for the rating tablet
(/backoffice/hang-doi/anh-cua-toi/); the picture is served to its owner and to the
administrators of their agencies, and by the tablet of the counter where they serve
(tablet_views.photo). No page lists the photos."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from motcua.organisations import permissions
from motcua.organisations.models import Membership
from motcua.organisations.roles import Capability

from . import photos
from .models import StaffPhoto


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("Photo (JPEG, PNG or WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


def _is_staff(user) -> bool:
    return Membership.objects.filter(user=user, is_active=True).exists()


def photo_response(photo: StaffPhoto) -> HttpResponse:
    response = HttpResponse(bytes(photo.image), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def my_photo(request):
    if not _is_staff(request.user):
        raise Http404
    form = PhotoForm()
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        if photos.remove_photo(request.user, actor=request.user):
            messages.success(request, _("Your photo was removed: the tablet shows your initials."))
        return redirect("queueing:my-photo")
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["photo"]
            try:
                photos.set_photo(
                    request.user, upload.read(photos.MAX_BYTES + 1), actor=request.user
                )
            except ValidationError as error:
                form.add_error("photo", error)
            else:
                messages.success(request, _("Your photo is saved: the rating tablet shows it."))
                return redirect("queueing:my-photo")
        status = 400
    photo = StaffPhoto.objects.filter(user=request.user).only("updated_at").first()
    context = {"form": form, "photo": photo, "initials": photos.initials(request.user)}
    return render(request, "queueing/my_photo.html", context, status=status)


def may_see(viewer, user_id: int) -> bool:
    """The photo's owner, and the administrators of one of the owner's agencies."""
    if viewer.pk == user_id:
        return True
    ids = permissions.agency_ids_for(viewer, Capability.MANAGE_AGENCY)
    if ids is None:
        return True
    return Membership.objects.filter(user_id=user_id, agency_id__in=ids).exists()


@login_required
def staff_photo(request, user: int):
    if not may_see(request.user, user):
        raise Http404
    photo = StaffPhoto.objects.filter(user_id=user).first()
    if photo is None or not get_user_model().objects.filter(pk=user).exists():
        raise Http404
    return photo_response(photo)
