"""The editorial roles as Django groups, with the model permissions the admin needs.

What each role may do with a given article (own drafts, desk, workflow) is decided by
articles.permissions; these permissions only open the admin pages to them.
"""

from django.db import migrations

METADATA = ["articleauthor", "mention", "claim", "quote", "keyfigure", "keydate", "source"]

REPORTER = (
    [f"{action}_article" for action in ("view", "add", "change")]
    + [f"{action}_{model}" for model in METADATA for action in ("view", "add", "change", "delete")]
    + ["view_correction", "view_desk", "view_tag", "add_tag", "view_entity", "add_entity"]
    + ["change_entity"]
)
EDITOR = REPORTER + [
    "delete_article",
    "add_correction",
    "change_correction",
    "delete_correction",
    "change_tag",
]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("reporter", REPORTER), ("editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["reporter", "editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_desk_members_and_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
