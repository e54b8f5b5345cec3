"""The Celery app. Settings come from Django settings under the CELERY_ prefix.

https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
"""

import os

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One static beat schedule. Long waits live in database columns that these sweeps read.
app.conf.beat_schedule = {
    "articles-publish-due": {"task": "articles.tasks.articles_publish_due", "schedule": 30.0},
    "cache-purge-came-live": {
        "task": "articles.tasks.cache_purge_came_live",
        "schedule": settings.NEWSROOM_CACHE_SWEEP_SECONDS,
    },
    "reminders-dispatch": {
        "task": "articles.tasks.reminders_dispatch",
        "schedule": settings.NEWSROOM_REMINDER_DISPATCH_SECONDS,
    },
}
