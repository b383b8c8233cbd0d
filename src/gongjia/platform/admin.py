import tempfile
from pathlib import Path

from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from unfold.contrib.filters.admin import RangeDateTimeFilter

from gongjia.platform import (
    events,
    formatting,
    jobs,
    keylists,
    official_calendar,
    paperwork,
    workdays,
)
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin, entry_label, field_changes
from gongjia.platform.keylists import KeyListField
from gongjia.platform.models import (
    AuditEvent,
    Consent,
    Job,
    Notification,
    OfficialDay,
    OfficialYear,
)
from gongjia.platform.notifications import mark_read
from gongjia.platform.tabular import FileProblem

# Field changes are shown through the sealed audit log; the stock admins are replaced.
for model in (LogEntry, DBTaskResult):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ActionFilter(admin.SimpleListFilter):
    """Entries by what happened, in words (sign-ins, refusals, exports, imports, reveals...)."""

    title = _("what happened")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(k, v) for k, v in events.ACTIONS.items() if not k.startswith("demo_")]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


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
        "what",
        "success",
        "object_repr",
        "ip",
    ]
    list_filter = ["kind", "success", ("created_at", RangeDateTimeFilter), ActionFilter]
    list_select_related = ["content_type"]
    search_fields = ["actor_name", "action", "object_repr", "ip"]
    # "what" says the action in words and "details" the data; the raw action and data stay in
    # searches and exports.
    readonly_fields = [
        "what",
        *(f.name if f.name != "data" else "details" for f in AuditEvent._meta.fields),
    ]
    readonly_fields.remove("action")
    fields = readonly_fields
    actions = ["export_xlsx"]

    @admin.display(description=_("what happened"), ordering="action")
    def what(self, obj):
        """The entry in words: a step by its workflow's label, any other by its type's."""
        model = obj.content_type.model_class() if obj.content_type_id else None
        flow = getattr(self.admin_site._registry.get(model), "workflow", None)
        return entry_label(obj, flow)

    @admin.display(description=_("details"))
    def details(self, obj):
        """The entry's data in words: a field change by its fields' old and new values, a step
        by its states, other data by the names of what they record."""
        model = obj.content_type.model_class() if obj.content_type_id else None
        data = obj.data if isinstance(obj.data, dict) else {}
        rows = []
        if obj.kind == AuditEvent.Kind.CHANGE:
            le = LogEntry.objects.filter(pk=data.get("log_entry")).first()
            changes = le.changes_dict if le is not None else {}
            for field, label, old, new in field_changes(model, changes):
                rows.append((label, f"{_field_value(field, old)} → {_field_value(field, new)}"))
            data = {}
        flow = getattr(self.admin_site._registry.get(model), "workflow", None)
        states = dict(flow.states.choices) if flow else {}
        technical = 0
        for key, value in data.items():
            if key not in DATA_LABELS:
                technical += 1
                continue
            if key in ("from", "to"):
                value = states.get(value, value)
            elif key == "paper" and value in paperwork.registry():
                value = paperwork.registry()[value].label
            rows.append((DATA_LABELS[key], _data_value(key, value)))
        if technical:
            more = _("%(n)d technical items, in the export") % {"n": technical}
            rows.append((_("other data"), more))
        return format_html_join(mark_safe("<br>"), "{}：{}", rows) if rows else "—"

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
    list_display = ["timestamp", "actor", "content_type", "object_repr", "action", "what_changed"]
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
        "what_changed",
        "remote_addr",
    ]
    fields = readonly_fields

    @admin.display(description=_("changes"))
    def what_changed(self, obj):
        """Each changed field by its name and its values as the field shows them (a choice by
        its label, yes or no): "帮扶类型：— → 助学"; relations to other records are left out."""
        model = obj.content_type.model_class() if obj.content_type_id else None
        rows = [
            (label, _field_value(field, old), _field_value(field, new))
            for field, label, old, new in field_changes(model, obj.changes_dict)
        ]
        return format_html_join(mark_safe("<br>"), "{}：{} → {}", rows) if rows else "—"


# What an audit entry's data records, by key (the keys the apps' events write).
DATA_LABELS = {
    "from": _("from"),
    "to": _("to"),
    "note": _("note"),
    "reason": _("reason"),
    "purpose": _("purpose of viewing"),
    "field": _("field"),
    "values": _("values given"),
    "paper": _("document"),
    "pdf": _("as PDF"),
    "masked": _("personal data masked"),
    "rows": _("rows"),
    "name": _("name"),
    "file": _("file"),
    "size": _("size (bytes)"),
    "result": _("result"),
    "role": _("role"),
    "unit": _("unit"),
    "user": _("user"),
    "year": _("year"),
    "on": _("date"),
    "kind": _("kind"),
    "category": _("category"),
    "computed": _("computed category"),
    "amount_fen": _("amount (yuan)"),
    "total_fen": _("total (yuan)"),
    "period": _("month"),
    "periods": _("months"),
    "policy": _("policy"),
    "method": _("method"),
    "version": _("version"),
    "separate": _("separate consent"),
    "entries": _("entries"),
    "tokens_ended": _("sessions ended"),
}


def _data_value(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value in (None, ""):
        return "—"
    if key.endswith("_fen") and isinstance(value, int):
        return formatting.money(value / 100)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return str(_("%(n)d items") % {"n": len(value)})
    return formatting.figure(value) if isinstance(value, int) else str(value)


def _field_value(field, value):
    """A recorded value (text) as its field shows it."""
    if value in (None, "None", ""):
        return "—"
    if isinstance(field, models.BooleanField):
        return _("yes") if value in (True, "True") else _("no")
    if isinstance(field, KeyListField):
        return keylists.labels(field, value)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str({str(k): v for k, v in choices}.get(str(value), value))
    return value


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
        if not obj.total:  # nothing counted (an export of an empty list, a job not begun)
            return "—"
        return f"{obj.percent}%（{formatting.number(obj.done)}/{formatting.number(obj.total)}）"

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
        response = TemplateResponse(request, "platform/admin/job_progress.html", {"original": job})
        if job.status not in ("queued", "running"):
            # The job ended while the page polled: load the page once more, so that its fields
            # (status, message, finish time) say so too, not only the progress bar.
            response["HX-Refresh"] = "true"
        return response

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
    readonly_fields = ["title", "body", "record", "created_at", "read_at"]
    fields = readonly_fields
    actions = ["mark_read"]

    @admin.display(description=_("record"))
    def record(self, obj):
        """The record the notice is about, as a link to open it (not its address)."""
        if not obj.link:
            return "—"
        return format_html('<a class="text-primary-600" href="{}">{}</a>', obj.link, _("Open"))

    @admin.action(description=_("Mark as read"))
    def mark_read(self, request, queryset):

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


class OfficialDayInline(admin.TabularInline):
    model = OfficialDay
    fields = ["day", "kind", "name"]
    extra = 0


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    notice = forms.CharField(
        label=_("notice"),
        max_length=200,
        help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）"),
    )
    file = forms.FileField(
        label=_("Excel or CSV file"),
        help_text=_("Columns 日期, 类型 (放假 or 调休上班) and 名称; one day per row."),
    )


@admin.register(OfficialYear)
class OfficialYearAdmin(ScopedAdmin):
    """The official calendar: the system or security administrator enters each new year when
    the State Council publishes its arrangement (or imports it from a spreadsheet)."""

    nav_icon = "calendar_month"
    nav_order = 70
    list_display = ["year", "notice", "days_entered", "entered_by", "entered_at"]
    fields = ["year", "notice"]
    inlines = [OfficialDayInline]
    actions = []

    @admin.display(description=_("days entered"), ordering="days_entered")
    def days_entered(self, obj):
        return obj.days_entered

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(days_entered=Count("days"))

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj is not None else []

    def save_action(self, request, obj, form, change):
        obj.entered_by = request.user
        return super().save_action(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)

        transaction.on_commit(workdays.forget)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="platform_officialyear_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    year = form.cleaned_data["year"]
                    days = official_calendar.read_days(tmp.name, year)
                    official_calendar.enter_year(
                        year, form.cleaned_data["notice"], days, acting_user=request.user
                    )
                except FileProblem as e:
                    form.add_error("file", str(e))
                except ValidationError as e:
                    # Row errors are the file's; a year or notice refused is that field's.
                    errors = e.message_dict if hasattr(e, "error_dict") else {"file": e.messages}
                    for field, problems in errors.items():
                        for message in problems:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    messages.success(
                        request, _("%(n)d days of %(y)d entered.") % {"n": len(days), "y": year}
                    )
                    return HttpResponseRedirect(reverse("admin:platform_officialyear_changelist"))
        return TemplateResponse(
            request,
            "platform/admin/calendar_import.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "opts": self.model._meta,
                "title": _("Import a year of the official calendar"),
            },
        )
