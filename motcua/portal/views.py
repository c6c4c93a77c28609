from django.shortcuts import redirect, render
from django.urls import reverse


def home(request):
    if request.GET.get("vnconnect") == "1":  # the National Public Service Portal's deep link
        return redirect(f"{reverse('filing:vnconnect')}?{request.GET.urlencode()}")
    return render(request, "portal/home.html")
