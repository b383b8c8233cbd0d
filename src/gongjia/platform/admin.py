from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from unfold.contrib.filters.admin import RangeDateTimeFilter

from gongjia.platform import jobs
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.platform.models import AuditEvent, Consent, Job, Notification

# Field changes are shown through the sealed audit log; the stock admins are replaced.
for model in (LogEntry, DBTaskResult):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit administrator's search: time, user, kind, action, result, object, address."""

    nav_icon = "policy"
    nav_order = 50
    list_display = [
        "id",
        "created_at",
        "actor_name",
        "kind",
        "action",
        "success",
        "object_repr",
        "ip",
    ]
    list_filter = ["kind", "success", ("created_at", RangeDateTimeFilter), "action"]
    search_fields = ["actor_name", "action", "object_repr", "ip"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = ["export_xlsx"]
    export_fields = (
        "id",
        "created_at",
        "actor_name",
        "kind",
        "action",
        "success",
        "object_repr",
        "ip",
        "data",
        "hash",
    )

    def has_export_permission(self, request):
        return request.user.has_perm("platform.export_auditevent")


@admin.register(LogEntry)
class FieldChangeAdmin(ReadOnlyAdmin):
    nav_icon = "history"
    nav_order = 51
    list_display = ["timestamp", "actor", "content_type", "object_repr", "action", "changes_text"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__username"]
    list_select_related = ["actor", "content_type"]
    readonly_fields = [
        "timestamp",
        "actor",
        "content_type",
        "object_pk",
        "object_repr",
        "action",
        "changes",
        "remote_addr",
    ]
    fields = readonly_fields


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Each user's own jobs; the record page polls its progress until the job ends."""

    nav_icon = "pending_actions"
    nav_order = 60
    list_display = ["label", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["label", "status", "message", "created_at", "finished_at"]
    fields = readonly_fields
    change_form_outer_before_template = "platform/admin/job_progress.html"

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return f"{obj.percent}% ({obj.done}/{obj.total})"

    def get_urls(self):
        return [
            path(
                "<uuid:job_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="platform_job_progress",
            ),
            path(
                "<uuid:job_id>/run-again/",
                self.admin_site.admin_view(self.run_again_view),
                name="platform_job_run_again",
            ),
            *super().get_urls(),
        ]

    def progress_view(self, request, job_id):
        job = get_object_or_404(self.get_queryset(request), pk=job_id)
        return TemplateResponse(request, "platform/admin/job_progress.html", {"original": job})

    def run_again_view(self, request, job_id):
        job = get_object_or_404(self.get_queryset(request), pk=job_id)
        if request.method != "POST":
            raise PermissionDenied
        try:
            job = jobs.run_again(job, user=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return HttpResponseRedirect(reverse("admin:platform_job_change", args=[job.pk]))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    nav_icon = "notifications"
    nav_order = 5
    list_display = ["title", "created_at", "read_at"]
    readonly_fields = ["title", "body", "link", "created_at", "read_at"]
    fields = readonly_fields
    actions = ["mark_read"]

    @admin.action(description=_("Mark as read"))
    def mark_read(self, request, queryset):
        from gongjia.platform.notifications import mark_read

        mark_read(request.user, queryset)


@admin.register(Consent)
class ConsentAdmin(ScopedAdmin):
    nav_icon = "verified_user"
    nav_order = 40
    list_display = [
        "subject_name",
        "purpose",
        "notice_version",
        "separate",
        "method",
        "given_at",
        "withdrawn_at",
        "unit",
    ]
    list_filter = ["separate", "method"]
    search_fields = ["subject_name", "purpose"]
    list_select_related = ["unit"]
    readonly_fields = [
        "content_type",
        "object_id",
        "subject_name",
        "purpose",
        "notice_version",
        "separate",
        "method",
        "given_at",
        "withdrawn_at",
        "recorded_by",
        "unit",
    ]

    def has_add_permission(self, request):
        return False  # consents are recorded by the programme that collects the data
