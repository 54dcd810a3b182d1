"""Seed the SCO states and the portal's themes, in zh-hans, en and ru.

The lists are ``portal/core/data/countries.json`` and ``themes.json``
(``portal.core.taxonomy_data``). Status as of the Tianjin summit (2025);
editors maintain both in the admin from then on.
"""

from django.db import migrations

from portal.core import taxonomy_data


def seed(apps, schema_editor):
    Country = apps.get_model("core", "Country")
    Theme = apps.get_model("core", "Theme")
    for order, country in enumerate(taxonomy_data.countries()):
        zh, en, ru = (taxonomy_data.country_name(country, code) for code in ("zh-hans", "en", "ru"))
        Country.objects.update_or_create(
            code=country["code"],
            defaults=dict(
                sco_status=country["sco_status"],
                sort_order=order,
                name=en,
                name_zh_hans=zh,
                name_en=en,
                name_ru=ru,
            ),
        )
    for order, theme in enumerate(taxonomy_data.themes()):
        names = theme["names"]
        Theme.objects.update_or_create(
            slug=theme["code"],
            defaults=dict(
                sort_order=order,
                name=names["en"],
                name_zh_hans=names["zh-hans"],
                name_en=names["en"],
                name_ru=names["ru"],
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
