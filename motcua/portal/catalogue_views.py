from django.shortcuts import render


def procedure_list(request):
    return render(request, "portal/home.html")
