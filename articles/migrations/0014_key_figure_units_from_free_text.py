"""Key figure units become a currency code (ISO 4217) or a unit of the list.

Units typed as free text before are mapped where the meaning is clear ("dollars américains" ->
USD, "%" -> percent, "t" -> tonnes, "usd" -> USD); anything else is left as it was, and the
article's admin page shows it in the unit list until a journalist chooses a unit (saving
refuses an unknown unit).
"""

import unicodedata

from django.db import migrations, models

FREE_TEXT_UNITS = {
    "USD": [
        "$", "us$", "dollar", "dollars", "dollars americains", "dollar americain",
        "dollars us", "dollars des etats-unis", "us dollars", "us dollar", "u.s. dollars",
    ],
    "EUR": ["€", "euro", "euros"],
    "GBP": ["£", "livre", "livres", "livres sterling", "livre sterling", "pounds", "pound",
            "pounds sterling", "sterling"],
    "JPY": ["¥", "yen", "yens", "yens japonais"],
    "CNY": ["yuan", "yuans", "renminbi", "cn¥"],
    "CHF": ["franc suisse", "francs suisses", "swiss francs"],
    "percent": ["%", "pct", "per cent", "pour cent", "pourcent", "pourcentage", "percentage"],
    "tonnes": ["t", "tonne", "tonnes", "tons", "metric tons"],
    "people": ["personnes", "personne", "persons", "person", "gens"],
    "employees": ["employes", "salaries", "employee", "collaborateurs"],
    "users": ["utilisateurs", "utilisateur", "user"],
    "customers": ["clients", "client", "customer"],
    "jobs": ["emplois", "emploi", "postes", "job"],
    "barrels": ["barils", "baril", "barrel"],
}


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


def map_units(apps, schema_editor):
    from babel.numbers import list_currencies

    currencies = set(list_currencies())
    known = {fold(text): code for code, texts in FREE_TEXT_UNITS.items() for text in texts}
    for code in FREE_TEXT_UNITS:
        known.setdefault(fold(code), code)
    KeyFigure = apps.get_model("articles", "KeyFigure")
    for unit in KeyFigure.objects.exclude(unit="").values_list("unit", flat=True).distinct():
        stripped = unit.strip()
        if stripped.upper() in currencies:
            target = stripped.upper()
        else:
            target = known.get(fold(stripped), unit)
        if target != unit:
            KeyFigure.objects.filter(unit=unit).update(unit=target)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_entity_search_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalkeyfigure',
            name='unit',
            field=models.CharField(blank=True, help_text='An ISO 4217 currency code (USD, EUR), percent, or a unit of the list (people, tonnes, km...). Empty for a plain count.', max_length=20, verbose_name='unit or currency'),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='unit',
            field=models.CharField(blank=True, help_text='An ISO 4217 currency code (USD, EUR), percent, or a unit of the list (people, tonnes, km...). Empty for a plain count.', max_length=20, verbose_name='unit or currency'),
        ),
        migrations.RunPython(map_units, migrations.RunPython.noop),
    ]
