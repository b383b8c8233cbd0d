"""Back-office base classes: every model admin of the platform inherits ScopedAdmin.

One mechanism for every model: the list and each record go through scope.restrict(); foreign-key
choices and autocompletes are restricted the same way; status fields are read-only and change
only through the declared transitions (buttons on the record, performed by the app's actions);
the record shows its timeline and attachments; lists export to Excel, masked.
"""

from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanWidget,
)

from gongjia.platform import (
    events,
    exports,
    keylists,
    kpis,
    paperwork,
    pii,
    records,
    scope,
    workdays,
)
from gongjia.platform.attachments import attach
from gongjia.platform.forms import form_errors, form_page, submitted
from gongjia.platform.keylists import KeyListField
from gongjia.platform.models import Attachment, AuditEvent
from gongjia.platform.workflow import Workflow, timeline


def entry_label(entry, workflow: Workflow | None) -> str:
    """An audit entry in words: a step of the record's workflow by its label, any other entry
    by its event type's."""
    step = workflow.find(entry.action) if workflow else None
    return str(step.label if step is not None else events.label(entry))


def field_changes(model, changes):
    """A field-change row's changes as (field, label, old, new), the field by its name in
    words; relations recorded from the other side are left out."""
    for name, pair in (changes if isinstance(changes, dict) else {}).items():
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            continue
        try:
            field = model._meta.get_field(name) if model else None
        except Exception:  # noqa: BLE001  a field since removed: shown as recorded
            field = None
        if field is not None and not field.concrete:
            continue  # a reverse relation, recorded when the row was made
        yield field, (field.verbose_name if field is not None else name), pair[0], pair[1]


def provisional_note(day) -> str:
    """Said after a deadline counted across a year whose official calendar is not entered."""
    return str(_("(provisional)")) if day and workdays.provisional(day) else ""


def dated_deadline(day):
    """A deadline as shown in the back office: the day, marked when it is provisional."""
    if not day:
        return "—"
    note = provisional_note(day)
    return format_html("{}{}", day, note) if note else day


def url_name(obj_or_model, suffix: str) -> str:
    meta = obj_or_model._meta
    return f"admin:{meta.app_label}_{meta.model_name}_{suffix}"


class _Refused(Exception):
    """An action refused a back-office save: unwinds the save's transaction (nothing is written)
    so that the form can be shown again with the refusal on it."""

    def __init__(self, error: ValidationError):
        self.error = error


class EstimatedCountPaginator(Paginator):
    """Pages of a list; an unfiltered list of a large PostgreSQL table is counted from the
    planner's statistics instead of a COUNT(*) over every row (60 ms and more at a million
    rows, on every page). Filtered lists, and tables below ESTIMATE_FROM rows, are counted
    exactly."""

    ESTIMATE_FROM = 100_000

    @cached_property
    def count(self):
        qs = self.object_list
        query = getattr(qs, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [qs.model._meta.db_table],
                )
                row = cur.fetchone()
            if row and row[0] >= self.ESTIMATE_FROM:
                return row[0]
        return super().count


class IndicatorFilter(admin.SimpleListFilter):
    """The records behind a figure (`?kpi=key:year:under`, the cockpit's drill-down): the list
    is the figure's own queryset, so its count is the figure."""

    title = _("indicator")
    parameter_name = "kpi"

    def lookups(self, request, model_admin):
        return [(key, ind.label) for key, ind in model_admin.indicators()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        key, _sep, rest = self.value().partition(":")
        year, _sep, under = rest.partition(":")
        if key not in dict(self.lookup_choices):
            return queryset.none()
        user = request.user
        if under:
            unit = scope.unit_model().objects.filter(code=under).first()
            if unit is None:
                return queryset.none()
            user = scope.narrowed(user, unit)
        found = kpis.records(key, user, int(year) if year.isdigit() else None)
        if found is None:
            return queryset.none()
        return queryset.filter(pk__in=found.values("pk"))


class ScopedAdmin(ModelAdmin):
    nav_icon = "list"
    paginator = EstimatedCountPaginator
    nav_order = 100
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over a whole district on every page is waste
    workflow: Workflow | None = None
    # actions.<fn>(obj, name, *, acting_user, note); by default the workflow takes the step itself.
    transition_action = None
    export_fields: tuple[str, ...] | None = None
    # Transition.unblock key -> (URL name taking the record's pk, label): the record tool offered
    # beside a blocked step, to those who may take the step.
    unblockers: dict = {}
    change_form_outer_after_template = "platform/admin/record_extras.html"
    actions = ["export_xlsx"]

    # --- scope ----------------------------------------------------------------------------------

    def indicators(self):
        """The figures whose records this list holds (those that declare their records)."""
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [
            (k, ind)
            for k, ind in sorted(kpis.registry().items())
            if ind.records is not None and ind.link == name
        ]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [*filters, IndicatorFilter] if self.indicators() else filters

    def get_queryset(self, request):
        return scope.restrict(super().get_queryset(request), request.user, "view")

    def _perm(self, request, action):
        return request.user.has_perm(scope.perm_name(self.model, action))

    def has_view_permission(self, request, obj=None):
        if not (self._perm(request, "view") or self._perm(request, "change")):
            return False
        return obj is None or scope.can(request.user, "view", obj)

    def has_change_permission(self, request, obj=None):
        if not self._perm(request, "change"):
            return False
        return obj is None or scope.can(request.user, "change", obj)

    def has_delete_permission(self, request, obj=None):
        # Nothing is deleted: records end through actions (withdraw, close, revoke, deregister,
        # exit), which keep them and write the timeline. No delete page, no bulk delete.
        return False

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.can_delete = False  # rows on a record's page are kept the same way
            inline.form = themed(labelled(masking_form(inline.form, inline.model)))
        return inlines

    def has_add_permission(self, request):
        return self._perm(request, "add")

    def has_export_permission(self, request):
        return self._perm(request, "export")

    # Coded fields a search term may name by their label: "律师" finds the lawyers.
    search_choice_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        found, distinct = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term or not self.search_choice_fields:
            return found, distinct
        named = Q()
        for name in self.search_choice_fields:
            codes = [
                code
                for code, label in self.model._meta.get_field(name).flatchoices
                if term in str(label)
            ]
            if codes:
                named |= Q(**{f"{name}__in": codes})
        return (found | queryset.filter(named)) if named else found, distinct

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if related in scope.registered_models():
            base = kwargs.get("queryset")
            if base is None:  # (never `or`: truth-testing a queryset runs it)
                base = related._default_manager.all()
            kwargs["queryset"] = scope.restrict(base, request.user, "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Saves go through the app's actions (`save_action`); the form's instance then takes on
        the row the action saved. An action's refusal goes back onto the form (below)."""
        try:
            saved = self.save_action(request, obj, form, change)
        except ValidationError as e:
            raise _Refused(e) from e
        if saved is not None and saved is not obj:
            records.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        except ValidationError as e:
            raise _Refused(e) from e

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save the action refuses writes nothing (its transaction is rolled back) and shows
        the same form again, as the user filled it in, with the refusal on its fields."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            request._gongjia_refused = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_action(self, request, obj, form, change):
        """Create or change the row through the app's action and return it (None when the row
        is written later, with its inlines, in `save_related`). Models without actions of their
        own (settings and reference rows) are saved as the form left them, inside the user's
        scope."""
        obj.save()
        # The row must land inside the user's scope (a form cannot move it elsewhere).
        if not scope.can(request.user, "change" if change else "view", obj):
            raise PermissionDenied(_("This record would lie outside your organisation."))
        return obj

    def __init_subclass__(cls, **kwargs):
        # An admin's own read-only fields are shown as the platform shows them too: a personal
        # field masked, a list of keys by its labels (whatever the admin adds after `super()`).
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_readonly_fields")
        if own is not None and not getattr(own, "shown_as_people_read", False):

            def get_readonly_fields(self, request, obj=None, _own=own):
                return self._shown(_own(self, request, obj))

            get_readonly_fields.shown_as_people_read = True
            cls.get_readonly_fields = get_readonly_fields

    def _shown(self, fields) -> list:
        personal, keylists = self._plain_personal(), self._keylists()
        return [
            f"{f}_masked" if f in personal else f"{f}_labels" if f in keylists else f
            for f in fields
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.workflow and self.workflow.field not in fields:
            fields.append(self.workflow.field)
        return self._shown(fields)

    # --- personal data --------------------------------------------------------------------------

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded + [f.name for f in pii.protected_fields(self.model)]

    def get_list_display(self, request):
        """Columns of personal data (phones, home addresses) show masked, in the list and in
        its Excel export alike."""
        personal = {f.name: f for f in pii.personal_fields(self.model)}
        return [
            _masked_column(personal[name]) if isinstance(name, str) and name in personal else name
            for name in super().get_list_display(request)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = masking_form(super().get_form(request, obj, change=change, **kwargs), self.model)
        themed(form)
        refused = getattr(request, "_gongjia_refused", None)
        if refused is None:
            return form

        class Refused(form):
            def clean(self):
                data = super().clean()
                form_errors(self, refused)
                return data

        Refused.__name__ = form.__name__
        return Refused

    def _plain_personal(self) -> set[str]:
        return {f.name for f in pii.personal_fields(self.model) if isinstance(f, pii.PersonalField)}

    def _keylists(self) -> set[str]:
        return {f.name for f in self.model._meta.fields if isinstance(f, KeyListField)}

    def __getattr__(self, name):
        # `<field>_masked`: a personal field shown read-only, masked (see get_fieldsets).
        if name.endswith("_masked") and name[: -len("_masked")] in self._plain_personal():
            return _masked_column(self.model._meta.get_field(name[: -len("_masked")]))
        # `<field>_labels`: a list of keys shown read-only by their labels.
        if name.endswith("_labels") and name[: -len("_labels")] in self._keylists():
            return _labels_column(self.model._meta.get_field(name[: -len("_labels")]))
        raise AttributeError(name)

    def _without_inputs(self, fieldsets):
        """For someone who may only look at the record: the form's own inputs (an account
        number to type, a consent box to tick) are left out; fields and displays stay."""
        names = {f.name for f in self.model._meta.get_fields()}

        def shown(name):
            return name in names or hasattr(self, name) or name.endswith("_masked")

        return [
            (
                title,
                {
                    **opts,
                    "fields": [
                        n
                        for n in opts.get("fields", ())
                        if isinstance(n, (list, tuple)) or shown(n)
                    ],
                },
            )
            for title, opts in fieldsets
        ]

    def get_fieldsets(self, request, obj=None):
        """Where a personal field kept in clear would be shown read-only (the user may not
        change the record, or the field is read-only), its masked value is shown instead.
        A record with a workflow shows where it stands, whatever its layout."""
        fieldsets = super().get_fieldsets(request, obj)
        state = self.workflow.field if self.workflow else None
        if state and obj is not None and not any(state in o["fields"] for _n, o in fieldsets):
            name, options = fieldsets[0]
            fieldsets = [(name, {**options, "fields": [state, *options["fields"]]}), *fieldsets[1:]]
        if obj is not None and not self.has_change_permission(request, obj):
            fieldsets = self._without_inputs(fieldsets)
        personal, keylists = self._plain_personal(), self._keylists()
        if not personal and not keylists:
            return fieldsets
        editable = obj is None or self.has_change_permission(request, obj)
        readonly = set(super().get_readonly_fields(request, obj))
        shown = set(self.get_readonly_fields(request, obj))

        def swap(name):
            if isinstance(name, (list, tuple)):
                return type(name)(swap(n) for n in name)
            masked, labelled = f"{name}_masked", f"{name}_labels"
            if name in personal and (not editable or name in readonly or masked in shown):
                return masked
            if name in keylists and (not editable or name in readonly or labelled in shown):
                return labelled
            return name

        return [
            (title, {**options, "fields": [swap(n) for n in options.get("fields", ())]})
            for title, options in fieldsets
        ]

    # --- export ---------------------------------------------------------------------------------

    @admin.action(description=_("Export selected to Excel"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        queryset = scope.restrict(queryset, request.user, "export")
        fields = self.export_fields or [
            f for f in self.get_list_display(request) if f != "action_checkbox"
        ]
        data = exports.export_admin_queryset(request, queryset, self, fields)
        name = f"{self.model._meta.model_name}-{timezone.localdate():%Y%m%d}.xlsx"
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # --- transitions, timeline, attachments -----------------------------------------------------

    def get_urls(self):
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{info}_transition",
            ),
            path(
                "<path:object_id>/reveal/<str:field>/",
                self.admin_site.admin_view(self.reveal_view),
                name=f"{info}_reveal",
            ),
            path(
                "<path:object_id>/attach/",
                self.admin_site.admin_view(self.attach_view),
                name=f"{info}_attach",
            ),
            path(
                "<path:object_id>/print/<str:key>/",
                self.admin_site.admin_view(self.print_view),
                name=f"{info}_print",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, obj):
        return reverse(url_name(obj, "change"), args=[obj.pk])

    def record_post(self, request, object_id, do, action: str = "change"):
        """Run one action on a record from a small form on its page (`do(obj)`), then go back
        to the page with the outcome as a message. `action`: what the user must be allowed on
        the record (changing it, by default)."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        allowed = (
            self.has_change_permission(request, obj)
            if action == "change"
            else scope.can(request.user, action, obj)
        )
        if request.method != "POST" or not allowed:
            raise PermissionDenied
        try:
            do(obj)
            messages.success(request, _("Done."))
        except (ValidationError, ValueError) as e:
            messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        return HttpResponseRedirect(self._change_url(obj))

    def tool_form(self, request, object_id, form, do, *, title, intro="", error_field=None):
        """A record tool's form on a page of its own: `form` is a form class, or `form(obj,
        data)` for one built from the record; once it is sent and valid, `do(obj, cleaned_data)`
        runs the action. A refusal comes back on the form (on `error_field` where it names no
        field of it), else the way leads back to the record, or to the address `do` returns as
        text (an action's record it returns is not an address).
        `title` and `intro` may be `f(obj)`."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        data = submitted(request)
        bound = form(data) if isinstance(form, type) else form(obj, data)
        if request.method == "POST" and bound.is_valid():
            try:
                url = do(obj, bound.cleaned_data)
            except ValidationError as e:
                form_errors(bound, e, error_field)
            else:
                return HttpResponseRedirect(url if isinstance(url, str) else self._change_url(obj))
        words = [t(obj) if callable(t) else t for t in (title, intro)]
        return form_page(self, request, obj, bound, title=words[0], intro=words[1])

    def record_tools(self, request, obj) -> list[tuple[str, str]]:
        """(URL, label) of the one-click actions offered on the record's page to this user
        (each a POST to a `record_post` view of the admin)."""
        return []

    def transition_view(self, request, object_id, name):
        if request.method != "POST" or self.workflow is None:
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        note = request.POST.get("note", "")
        try:
            take = self.transition_action or self.workflow.run
            take(obj, name, acting_user=request.user, note=note)
            messages.success(
                request, _("Done: %(step)s.") % {"step": self.workflow.get(name).label}
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return HttpResponseRedirect(self._change_url(obj))

    def reveal_view(self, request, object_id, field):
        """Show one protected value in full, once, after the user states a purpose."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST":
            raise PermissionDenied
        try:
            value = pii.reveal(
                obj, field, acting_user=request.user, purpose=request.POST.get("purpose", "")
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            label = obj._meta.get_field(field).verbose_name
            messages.warning(
                request,
                _("%(label)s: %(value)s (this view was logged)") % {"label": label, "value": value},
            )
        return HttpResponseRedirect(self._change_url(obj))

    def print_view(self, request, object_id, key):
        """One of the record's documents (`paperwork`), as a page or, with `?pdf=1`, a PDF."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        p = paperwork.get(key)
        if p is None or p.model is not self.model:
            raise Http404
        try:
            return paperwork.response(request, p, obj, pdf=bool(request.GET.get("pdf")))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return HttpResponseRedirect(self._change_url(obj))

    def _papers(self, obj):
        """(label, page URL, PDF URL or "", why not yet or "") of each document of the record."""
        out = []
        for p in paperwork.of(self.model):
            url = reverse(url_name(obj, "print"), args=[obj.pk, p.key])
            why = p.ready(obj) if p.ready else None
            out.append((p.label, url, f"{url}?pdf=1" if p.signed else "", why or ""))
        return out

    def attach_view(self, request, object_id):

        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, obj):
            raise PermissionDenied
        upload = request.FILES.get("file")
        try:
            attach(obj, upload, acting_user=request.user)
            messages.success(request, _("File attached."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return HttpResponseRedirect(self._change_url(obj))

    def _timeline(self, obj):
        """The record's timeline in words: each step by its label, statuses by theirs, a field
        change by the fields it changed (one that only moved the status is the step's own)."""
        states = dict(self.workflow.states.choices) if self.workflow else {}
        entries = list(timeline(obj, limit=50))
        for e in entries:
            e.data = e.data if isinstance(e.data, dict) else {}
        logs = LogEntry.objects.in_bulk(
            [e.data.get("log_entry") for e in entries if e.kind == AuditEvent.Kind.CHANGE]
        )
        shown = []
        for e in entries:
            e.label = entry_label(e, self.workflow)
            le = logs.get(e.data.get("log_entry")) if e.kind == AuditEvent.Kind.CHANGE else None
            if le is not None and e.action == "update":
                changed = list(field_changes(type(obj), le.changes_dict))
                state = self.workflow.field if self.workflow else None
                changed = [c for c in changed if not (c[0] and c[0].name == state)]
                if not changed:
                    continue  # only the status moved: the step's own entry says it
                labels = "、".join(str(label) for _f, label, *_r in changed)
                e.label = _("Changed: %(fields)s") % {"fields": labels}
            e.who = str(e.actor) if e.actor_id else e.actor_name  # a person by their name
            e.from_label = states.get(e.data.get("from"), e.data.get("from"))
            e.to_label = states.get(e.data.get("to"), e.data.get("to"))
            shown.append(e)
        return shown

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["record_timeline"] = self._timeline(obj)
            context["record_attachments"] = Attachment.objects.filter(
                content_type__app_label=obj._meta.app_label,
                content_type__model=obj._meta.model_name,
                object_id=str(obj.pk),
            )
            context["record_can_attach"] = self.has_change_permission(request, obj)
            context["record_attach_url"] = reverse(url_name(obj, "attach"), args=[obj.pk])
            if self.workflow:
                steps, blocked = [], []
                for t, reasons in self.workflow.explained(obj, request.user):
                    if not reasons:
                        url = reverse(url_name(obj, "transition"), args=[obj.pk, t.name])
                        steps.append((t, url))
                        continue
                    # Whoever may take the step may do what unblocks it.
                    tool = self.unblockers.get(t.unblock)
                    unblock = (reverse(tool[0], args=[obj.pk]), tool[1]) if tool else None
                    blocked.append((t, reasons, unblock))
                context["record_transitions"] = steps
                context["record_blocked"] = blocked
            context["record_tools"] = self.record_tools(request, obj)
            context["record_papers"] = self._papers(obj)
            may_reveal = pii.may_reveal(request.user, obj)
            masked = [
                (
                    f.verbose_name,
                    pii.masked(obj, f.name, detail=True),
                    reverse(url_name(obj, "reveal"), args=[obj.pk, f.name]) if may_reveal else "",
                )
                for f in pii.personal_fields(self.model)
                if getattr(obj, f.name)
            ]
            context["record_masked"] = masked
            form = context.get("adminform")
            inlines = context.get("inline_admin_formsets") or []
            editable = any(i.has_add_permission or i.has_change_permission for i in inlines)
            if form is not None and not form.form.fields and not editable:
                # Nothing left to edit (a decided application, a closed case): no save buttons
                # that would save nothing; the record moves on by its steps.
                context.update(
                    show_save=False, show_save_and_continue=False, show_save_and_add_another=False
                )
        return super().render_change_form(request, context, add, change, form_url, obj)


_THEMED = {
    forms.TextInput: UnfoldAdminTextInputWidget,
    forms.Textarea: UnfoldAdminTextareaWidget,
    forms.Select: UnfoldAdminSelectWidget,
    forms.CheckboxInput: UnfoldBooleanWidget,
    forms.NumberInput: UnfoldAdminDecimalFieldWidget,  # the same box for whole numbers
}


def themed(form):
    """A form's own fields (declared on the form, not made from the model) in the theme's look
    like the rest: a plain text box has no border in it."""
    for f in getattr(form, "declared_fields", {}).values():
        look = _THEMED.get(type(f.widget))
        if look is not None:
            themed_widget = look(attrs=f.widget.attrs)
            if hasattr(f.widget, "choices"):  # a select keeps the choices its field gave it
                themed_widget.choices = f.widget.choices
            f.widget = themed_widget
    return form


def labelled(form):
    """A form's own fields (an `id_number_input`, say) keep their labels where a row is shown
    read-only: Django titles such a column from the form's Meta.labels, else from the field's
    name ("Id number input")."""
    meta = getattr(form, "_meta", None)
    if meta is None:
        return form
    own = {name: f.label for name, f in form.declared_fields.items() if f.label}
    if own and not set(own) <= set(meta.labels or {}):
        meta.labels = {**own, **(meta.labels or {})}
        # The admin's formsets build their form anew from `Meta`: it carries them too.
        if hasattr(form, "Meta"):
            form.Meta.labels = meta.labels
    return form


def masking_form(form, model):
    """A personal field kept in clear is never put in the page: on an existing record its input
    starts empty with the masked value as a hint, and an empty input keeps the value."""
    personal = [f.name for f in pii.personal_fields(model) if isinstance(f, pii.PersonalField)]
    if not personal or getattr(form, "masks_personal_data", False):
        return form

    class MaskedForm(form):
        masks_personal_data = True

        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self._kept = {}
            if self.instance.pk is None:
                return
            for name in personal:
                if name not in self.fields:
                    continue
                current = getattr(self.instance, name)
                self._kept[name] = current
                self.initial[name] = ""
                field = self.fields[name]
                field.required = False
                if current:
                    field.widget.attrs["placeholder"] = pii.masked(self.instance, name)
                    field.help_text = _("Leave empty to keep the value shown masked.")

        def _post_clean(self):
            for name, current in self._kept.items():
                if not self.cleaned_data.get(name):
                    self.cleaned_data[name] = current
            super()._post_clean()

    MaskedForm.__name__ = form.__name__
    return MaskedForm


def _labels_column(field):
    def column(obj):
        return keylists.labels(field, getattr(obj, field.name))

    column.short_description = field.verbose_name
    return column


def _masked_column(field):
    def column(obj):
        return pii.masked(obj, field.name)

    column.short_description = field.verbose_name
    column.__name__ = f"{field.name}_masked"
    return column


class ReadOnlyAdmin(ScopedAdmin):
    actions = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
