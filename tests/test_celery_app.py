"""The Celery app: beat names tasks that exist; settings follow the house rules."""

from newsroom.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    assert app.conf.beat_schedule
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name


def test_tasks_are_acknowledged_late_and_never_run_eagerly():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_always_eager is False
    assert app.conf.worker_prefetch_multiplier == 1
