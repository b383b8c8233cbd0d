"""Jobs: long work run by the worker with progress users can watch.

    job = jobs.start("gongjia.members.imports.run", label=..., user=..., params={...})

The function receives the Job and its params; it reports with `job.progress(done, total, msg)`.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

from gongjia.platform.models import Job
from gongjia.platform.todos import todo


def progress(job: Job, done: int, total: int | None = None, message: str | None = None):
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)
    for k, v in fields.items():
        setattr(job, k, v)


@task()
def run_job(job_id: str):
    from gongjia.platform.worker import WORKER_ID

    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.QUEUED:
        return  # already run, or failed by the recovery of a stopped worker
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker_id=WORKER_ID)
    try:
        func = import_string(job.kind)
        result = func(job, **job.params) or {}
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE,
            finished_at=timezone.now(),
            result_file=result.get("file", ""),
            message=result.get("message", job.message),
        )
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=str(exc)[:2000]
        )
        raise


def start(kind: str, *, label: str, user, params: dict | None = None) -> Job:
    job = Job.objects.create(kind=kind, label=label, user=user, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(job_id=str(job.pk)))
    return job


def run_again(job: Job, *, user) -> Job:
    """A failed job, run again as a new job with the same work (the failed one stays on record)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if job.status != Job.Status.FAILED:
        raise ValidationError(_("Only a failed job can be run again."))
    if job.user_id != user.pk:
        raise ValidationError(_("Only the person who started a job can run it again."))
    return start(job.kind, label=job.label, user=user, params=job.params)


def result_download(request, job_id):
    """The job's result file, for the user who ran it."""
    from django.http import FileResponse, Http404

    if not request.user.is_authenticated:
        raise Http404
    job = Job.objects.filter(pk=job_id, user=request.user).first()
    if job is None or not job.result_file:
        raise Http404
    path = (settings.MEDIA_ROOT / job.result_file).resolve()
    if not path.is_relative_to(settings.MEDIA_ROOT.resolve()) or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@todo(
    "platform.jobs_finished",
    label=gettext_lazy("Your imports and exports finished in the past 7 days"),
    perm="platform.view_job",
    link="admin:platform_job_changelist",
    query="status__exact=done",
)
def finished_lately(user):
    since = timezone.now() - dt.timedelta(days=7)
    return Job.objects.filter(user=user, status=Job.Status.DONE, finished_at__gte=since).count()
