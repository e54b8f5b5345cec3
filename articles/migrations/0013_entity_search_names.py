import unicodedata

from django.db import migrations, models


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fill_search_names(apps, schema_editor):
    Entity = apps.get_model("articles", "Entity")
    for entity in Entity.objects.all().iterator():
        aliases = entity.aliases if isinstance(entity.aliases, list) else []
        names = [entity.name, *(a for a in aliases if isinstance(a, str))]
        entity.search_names = "\n".join(fold(name) for name in names)
        entity.save(update_fields=["search_names"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_importer_fields_claim_statuses_source_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="entity",
            name="search_names",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The name and aliases without case or accents, one a line (filled on save).",
                verbose_name="names as searched",
            ),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
