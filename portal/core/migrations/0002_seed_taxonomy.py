"""Seed the SCO states and the portal's themes, in zh-hans, en and ru.

Status as of the Tianjin summit (2025); editors maintain it from then on.
"""

from django.db import migrations

COUNTRIES = [
    # code, status, zh-hans, en, ru
    ("CN", "member", "中国", "China", "Китай"),
    ("RU", "member", "俄罗斯", "Russia", "Россия"),
    ("KZ", "member", "哈萨克斯坦", "Kazakhstan", "Казахстан"),
    ("KG", "member", "吉尔吉斯斯坦", "Kyrgyzstan", "Кыргызстан"),
    ("TJ", "member", "塔吉克斯坦", "Tajikistan", "Таджикистан"),
    ("UZ", "member", "乌兹别克斯坦", "Uzbekistan", "Узбекистан"),
    ("IN", "member", "印度", "India", "Индия"),
    ("PK", "member", "巴基斯坦", "Pakistan", "Пакистан"),
    ("IR", "member", "伊朗", "Iran", "Иран"),
    ("BY", "member", "白俄罗斯", "Belarus", "Беларусь"),
    ("AF", "observer", "阿富汗", "Afghanistan", "Афганистан"),
    ("MN", "observer", "蒙古国", "Mongolia", "Монголия"),
    ("AZ", "dialogue_partner", "阿塞拜疆", "Azerbaijan", "Азербайджан"),
    ("AM", "dialogue_partner", "亚美尼亚", "Armenia", "Армения"),
    ("KH", "dialogue_partner", "柬埔寨", "Cambodia", "Камбоджа"),
    ("NP", "dialogue_partner", "尼泊尔", "Nepal", "Непал"),
    ("TR", "dialogue_partner", "土耳其", "Türkiye", "Турция"),
    ("LK", "dialogue_partner", "斯里兰卡", "Sri Lanka", "Шри-Ланка"),
    ("EG", "dialogue_partner", "埃及", "Egypt", "Египет"),
    ("QA", "dialogue_partner", "卡塔尔", "Qatar", "Катар"),
    ("SA", "dialogue_partner", "沙特阿拉伯", "Saudi Arabia", "Саудовская Аравия"),
    ("KW", "dialogue_partner", "科威特", "Kuwait", "Кувейт"),
    ("MV", "dialogue_partner", "马尔代夫", "Maldives", "Мальдивы"),
    ("MM", "dialogue_partner", "缅甸", "Myanmar", "Мьянма"),
    ("AE", "dialogue_partner", "阿联酋", "United Arab Emirates", "Объединённые Арабские Эмираты"),
    ("BH", "dialogue_partner", "巴林", "Bahrain", "Бахрейн"),
    ("LA", "dialogue_partner", "老挝", "Laos", "Лаос"),
]

THEMES = [
    ("air", "大气", "Air", "Воздух"),
    ("water", "水", "Water", "Вода"),
    ("waste", "固体废物", "Waste", "Отходы"),
    ("climate", "气候变化", "Climate change", "Изменение климата"),
    ("biodiversity", "生物多样性", "Biodiversity", "Биоразнообразие"),
    ("land", "土地与荒漠化", "Land and desertification", "Земли и опустынивание"),
    ("energy", "可再生与低碳能源", "Renewable and low-carbon energy", "Возобновляемая и низкоуглеродная энергетика"),
    ("monitoring", "环境监测与数据", "Monitoring and environmental data", "Мониторинг и экологические данные"),
    ("capacity-building", "能力建设", "Capacity building", "Наращивание потенциала"),
    ("policy-dialogue", "政策对话", "Policy dialogue", "Политический диалог"),
]


def seed(apps, schema_editor):
    Country = apps.get_model("core", "Country")
    Theme = apps.get_model("core", "Theme")
    for order, (code, status, zh, en, ru) in enumerate(COUNTRIES):
        Country.objects.update_or_create(
            code=code,
            defaults=dict(
                sco_status=status, sort_order=order, name=en, name_zh_hans=zh, name_en=en, name_ru=ru
            ),
        )
    for order, (slug, zh, en, ru) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults=dict(sort_order=order, name=en, name_zh_hans=zh, name_en=en, name_ru=ru),
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
