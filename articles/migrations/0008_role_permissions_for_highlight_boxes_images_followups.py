"""Reporters and editors get the model permissions for highlight boxes, article images and
follow-ups, so that those inlines show on the article page for desk members.

As in 0005, what each role may do with a given article is decided by articles.permissions.
Follow-ups are cancelled, never deleted (their reminder deliveries are kept): no delete.
"""

from django.db import migrations

BOTH = {
    "articles": [
        *(f"{action}_{model}" for model in ("highlightbox", "highlightitem")
          for action in ("view", "add", "change", "delete")),
        "view_followup",
        "add_followup",
        "change_followup",
        "view_reminderdelivery",
    ],
    "media_credits": [
        *(f"{action}_articleimage" for action in ("view", "add", "change", "delete")),
        "view_image",
    ],
}
ROLES = {"reporter": BOTH, "editor": BOTH}


def _permissions(apps, by_app):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codenames in by_app.items():
        found.extend(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return found


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    for name, by_app in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, by_app))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, by_app in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, by_app))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_history_of_followups_and_highlight_boxes"),
        ("articles", "0005_create_reporter_and_editor_roles"),
        ("media_credits", "0003_history_of_article_images"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
