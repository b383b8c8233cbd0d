"""Guarded imports of records through their programme's actions: a spreadsheet whose rows are
each written by the same action an officer's form calls (so every rule holds), all of them or
none. A row the action refuses is kept with the reason, one sentence per problem; if any row is
refused, nothing is written and the officer gets back `<name>-错误.xlsx` with only the failing
rows. The member registry's own import (`members.imports`) is the bulk path for a million rows;
this one is for the hundreds of rows a programme's officer sends (entries, reports, a scheme).

A programme declares an import once:

    class EntriesImport(SheetImport):
        key = "skills.entries"
        stem = "参赛报名"
        def columns(self): ...
        def context(self, user, params): ...        # the record the rows belong to, scoped
        def row(self, cells, context, user): ...    # one row through the actions

    register(EntriesImport())

and offers it on a record's page with `upload_page` and `template_download`; the worker runs it
(`run_job`), with progress, like every long job.
"""

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.platform import audit, formatting, jobs, parameters, tabular
from gongjia.platform.models import AuditEvent
from gongjia.platform.tabular import Column, FileProblem


class SheetImport:
    key: str = ""
    label = ""  # what the job is called, e.g. "Import entries"
    stem: str = ""  # the template's and the error file's name, e.g. "参赛报名"
    instructions: tuple[str, ...] = ()

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def context(self, user, params: dict):
        """What the rows belong to (an event, a competition), read within the user's scope;
        FileProblem if it cannot be imported into now."""
        return None

    def row(self, cells: dict, context, user) -> None:
        """Write one row through the programme's actions; ValidationError or PermissionDenied
        with what to fix."""
        raise NotImplementedError


_registry: dict[str, SheetImport] = {}


def register(imp: SheetImport) -> SheetImport:
    if imp.key in _registry:
        raise ValueError(f"import {imp.key} declared twice")
    _registry[imp.key] = imp
    return imp


def get(key: str) -> SheetImport:
    return _registry[key]


@dataclass
class Outcome:
    total: int = 0
    written: int = 0
    refused: int = 0
    problem: str = ""  # the file as a whole could not be read
    error_file: str = ""
    errors: list = field(default_factory=list)  # (row number, sentence) of the first errors

    def summary(self) -> str:
        if self.problem:
            return self.problem
        if self.refused:
            return _(
                "Nothing was written: %(n)s of %(total)s rows have errors. Correct them in the "
                "error file and import it again."
            ) % {"n": formatting.number(self.refused), "total": formatting.number(self.total)}
        return _("%(n)s rows written.") % {"n": formatting.number(self.written)}


def _sentences(error: Exception, columns: list[Column]) -> list[str]:
    """The action's refusal as sentences, each naming the column it is about where it names one."""
    headers = {c.key: c.header for c in columns}
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        out = []
        for name, messages in error.message_dict.items():
            prefix = f"「{headers[name]}」" if name in headers else ""
            out += [prefix + m for m in messages]
        return out
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or _("You may not write this row.")]


def run(imp: SheetImport, path, *, user, params: dict, error_path, progress=None) -> Outcome:
    """Check and write every row, or none; the refused rows go to `error_path`."""
    out = Outcome()
    columns = imp.columns()
    try:
        context = imp.context(user, params)
        rows = list(tabular.read_table(path, columns).rows)  # the guard caps a file's size
    except FileProblem as e:
        out.problem = str(e)
        _audit(imp, user, path, out)
        return out
    out.total = len(rows)
    failed = []
    with transaction.atomic():
        for i, (number, values) in enumerate(rows, start=1):
            cells = {c.key: values[j] for j, c in enumerate(columns)}
            problems = [
                f"「{c.header}」" + _("is required.")
                for c in columns
                if c.required and not tabular.text(cells[c.key])
            ]
            if not problems:
                try:
                    with transaction.atomic():  # a refused row leaves nothing behind
                        imp.row(cells, context, user)
                except (ValidationError, PermissionDenied) as e:
                    problems = _sentences(e, columns)
            if problems:
                failed.append((number, values, problems))
            if progress and (i % 50 == 0 or i == out.total):
                progress(i, out.total, _("checking"))
        if failed:
            transaction.set_rollback(True)  # one refused row: nothing of the file is written
    if failed:
        out.refused = len(failed)
        out.errors = [(n, formatting.clauses(p)) for n, _v, p in failed[:50]]
        tabular.write_workbook(
            error_path,
            columns,
            [
                (v, _("Row %(n)d: %(e)s") % {"n": n, "e": formatting.clauses(p)})
                for n, v, p in failed
            ],
            sheet=imp.stem,
        )
        out.error_file = str(error_path)
        _audit(imp, user, path, out)
    else:
        out.written = out.total
    return out


def _audit(imp: SheetImport, user, path, out: Outcome):
    """A refused import writes no records, but the attempt is on the record."""
    audit.record(
        AuditEvent.Kind.IMPORT,
        imp.key,
        actor=user,
        success=False,
        data={
            "file": Path(path).name,
            "rows": out.total,
            "refused": out.refused,
            "problem": out.problem,
        },
    )


def run_job(job, *, key: str, path: str, name: str, params: dict):
    """The upload, run by the worker with progress; the error file is named after the file the
    officer sent, in a folder of the job's own."""
    imp = get(key)
    upload = Path(path)
    folder = upload.parent / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    error_path = folder / f"{Path(name).stem or imp.stem}-错误.xlsx"

    def progress(done, total, message):
        jobs.progress(job, done, total, message)

    out = run(imp, upload, user=job.user, params=params, error_path=error_path, progress=progress)
    upload.unlink(missing_ok=True)
    jobs.progress(job, out.total, out.total, out.summary())
    result = {"message": out.summary()}
    if out.error_file:
        result["file"] = str(Path(out.error_file).relative_to(settings.MEDIA_ROOT))
    return result


# --- the back office -----------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel or CSV file"),
        help_text=gettext_lazy("Use the template: its headers, one record per row."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        limit = parameters.value("imports.max_megabytes")
        if f.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(n)d MB.") % {"n": limit})
        if Path(f.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return f


def save_upload(upload) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


def upload_page(model_admin, request, key: str, *, params: dict, title: str, template_url: str):
    """The upload page of an import: the file is checked and written by the worker, whose job
    page shows the progress and, if rows were refused, the error file."""
    imp = get(key)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imp.context(request.user, params)  # refused now, not in the worker a minute later
        except FileProblem as e:
            form.add_error(None, str(e))
        else:
            upload = form.cleaned_data["file"]
            job = jobs.start(
                "gongjia.platform.sheetimport.run_job",
                label=f"{imp.label}：{upload.name}",
                user=request.user,
                params={
                    "key": key,
                    "path": str(save_upload(upload)),
                    "name": Path(upload.name).name,
                    "params": params,
                },
            )
            return HttpResponseRedirect(reverse("admin:platform_job_change", args=[job.pk]))
    return TemplateResponse(
        request,
        "platform/admin/sheet_import.html",
        {
            **model_admin.admin_site.each_context(request),
            "form": form,
            "opts": model_admin.model._meta,
            "title": title,
            "template_url": template_url,
            "instructions": imp.instructions,
        },
    )


def template_download(key: str):
    imp = get(key)
    folder = Path(settings.MEDIA_ROOT) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{imp.stem}模板.xlsx"
    tabular.write_workbook(path, imp.columns(), instructions=list(imp.instructions), sheet=imp.stem)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
