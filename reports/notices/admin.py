"""The notices in the admin: none to edit. The background worker's task
results (django-tasks-db) are internal bookkeeping, so its admin page is taken
away; a notice records when its e-mail went out (``Notice.emailed_at``)."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
