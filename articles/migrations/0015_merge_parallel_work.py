"""Joins the migrations made side by side: beat sweep record, document digests and surrogate
keys, entity search names and units, search configurations. They touch different tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_beat_sweep_last_success"),
        ("articles", "0013_document_digest_surrogate_keys_entity_updated_at"),
        ("articles", "0013_search_unaccent_configurations_recent_index"),
        ("articles", "0014_key_figure_units_from_free_text"),
    ]

    operations = []
