from django.db import migrations

# The licences a desk meets every day. Names are what readers see in attribution notes.
LICENCES = [
    # code, name, url, commercial use allowed, attribution required
    ("staff", "Staff work", "", True, False),
    ("wire-agency", "Wire agency subscription", "", True, True),
    ("cc-by-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", True, True),
    ("cc-by-sa-4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/", True, True),
    ("cc-by-nc-4.0", "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/", False, True),
    (
        "cc0-public-domain",
        "Public domain (CC0 1.0)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
        False,
    ),
    (
        "ai-subscriber-owned",
        "AI service: output owned by the subscriber (paid plan)",
        "",
        True,
        False,
    ),
]


def seed(apps, schema_editor):
    Licence = apps.get_model("media_credits", "Licence")
    for code, name, url, commercial, attribution in LICENCES:
        Licence.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "url": url,
                "commercial_use_allowed": commercial,
                "attribution_required": attribution,
            },
        )


def unseed(apps, schema_editor):
    Licence = apps.get_model("media_credits", "Licence")
    Licence.objects.filter(code__in=[row[0] for row in LICENCES], images__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("media_credits", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
