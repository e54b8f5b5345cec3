import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_importer_fields_claim_statuses_source_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="articledocument",
            name="digest",
            field=models.CharField(
                default="",
                help_text="BLAKE2b digest of the stored detail: the basis of the public ETag.",
                max_length=32,
                verbose_name="digest",
            ),
        ),
        migrations.AddField(
            model_name="articledocument",
            name="surrogate_keys",
            field=models.TextField(
                default="",
                help_text="What the article shows (desk, entities, images), for cache purges.",
                verbose_name="surrogate keys",
            ),
        ),
        migrations.AddField(
            model_name="entity",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                default=django.utils.timezone.now,
                help_text="When the entity was last saved (the Last-Modified of its public pages).",
                verbose_name="updated at",
            ),
            preserve_default=False,
        ),
        # Stored documents have no digest yet: drop them, the next read rebuilds each one.
        migrations.RunSQL(
            "DELETE FROM articles_articledocument", reverse_sql=migrations.RunSQL.noop
        ),
    ]
