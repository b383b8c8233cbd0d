"""django-tasks-db installed under a name people read (its own is an untranslated English text).
Kept out of `platform.apps`: a second AppConfig there would end the platform's own being the
default one."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
