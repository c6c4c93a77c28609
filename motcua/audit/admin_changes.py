"""Audit of what the admin site changes outside a model form: deletions, one at a time or in
bulk through the "delete selected" action. Every ModelAdmin that may delete mixes this in
(a test walks the admin registry)."""

from django.contrib import admin
from django.db import transaction

from .services import record_event


class AuditedDeletions(admin.ModelAdmin):
    def delete_model(self, request, obj):
        with transaction.atomic():
            record_event(f"{obj._meta.model_name}.deleted", obj, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record_event(f"{obj._meta.model_name}.deleted", obj, actor=request.user, bulk=True)
            super().delete_queryset(request, queryset)
