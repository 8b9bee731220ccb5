"""django-celery-beat's periodic task page, with its inline script moved to a file.

The Content-Security-Policy refuses inline scripts, which would leave the
crontab "Translation" help dead; the same behaviour now comes from
``claims/static/claims/periodic_task.js``.
"""

from __future__ import annotations

from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask


class TrackerPeriodicTaskAdmin(PeriodicTaskAdmin):
    change_form_template = "admin/claims/periodictask/change_form.html"


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, TrackerPeriodicTaskAdmin)
