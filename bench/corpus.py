"""A generated trilingual corpus in the import format (see operations/importing/format.py).

Deterministic for a given seed, so two runs measure the same work. Each item
exists in one to three languages, like real content.
"""

import random

TOPICS = [
    ("大气污染防治", "air pollution control", "борьба с загрязнением воздуха", "air"),
    ("水资源保护", "water resources protection", "охрана водных ресурсов", "water"),
    ("生活垃圾分类", "household waste sorting", "сортировка бытовых отходов", "waste"),
    ("应对气候变化", "climate change response", "реагирование на изменение климата", "climate"),
    ("生物多样性保护", "biodiversity conservation", "сохранение биоразнообразия", "biodiversity"),
    ("荒漠化防治", "combating desertification", "борьба с опустыниванием", "land"),
    ("可再生能源", "renewable energy", "возобновляемая энергетика", "energy"),
    ("环境监测", "environmental monitoring", "экологический мониторинг", "monitoring"),
    ("能力建设培训", "capacity building training", "обучение и наращивание потенциала", "capacity-building"),
    ("环境政策对话", "environmental policy dialogue", "диалог по экологической политике", "policy-dialogue"),
]
PLACES = [
    ("聊城", "Liaocheng", "Ляочэн", "CN"),
    ("阿拉木图", "Almaty", "Алматы", "KZ"),
    ("比什凯克", "Bishkek", "Бишкек", "KG"),
    ("杜尚别", "Dushanbe", "Душанбе", "TJ"),
    ("塔什干", "Tashkent", "Ташкент", "UZ"),
    ("新西伯利亚", "Novosibirsk", "Новосибирск", "RU"),
    ("明斯克", "Minsk", "Минск", "BY"),
    ("乌兰巴托", "Ulaanbaatar", "Улан-Батор", "MN"),
    ("伊斯兰堡", "Islamabad", "Исламабад", "PK"),
    ("新德里", "New Delhi", "Нью-Дели", "IN"),
]
KINDS = {
    "project": ("合作项目", "cooperation project", "проект сотрудничества"),
    "training": ("培训班", "training course", "учебный курс"),
    "policy": ("管理办法", "regulation", "положение"),
    "news": ("会议召开", "meeting held", "состоялось совещание"),
}
SENTENCES = (
    "{zh}地区开展{topic}工作，建立排放清单并进行源解析。",
    "In {en}, partners work on {topic} with emission inventories and source apportionment.",
    "В городе {ru} партнёры занимаются темой «{topic}», составляют кадастры выбросов.",
)


def _texts(lang_index, topic, place, kind, n):
    title = [
        f"{place[0]}{topic[0]}{kind[0]}",
        f"{topic[1].capitalize()} {kind[1]} in {place[1]}",
        f"{kind[2].capitalize()}: {topic[2]} ({place[2]})",
    ][lang_index]
    fmt = SENTENCES[lang_index]
    sentence = fmt.format(zh=place[0], en=place[1], ru=place[2], topic=topic[lang_index])
    return {
        "title": f"{title} #{n}",
        "summary": sentence,
        "body": "\n\n".join([sentence] * 3),
    }


def generate(size=10_000, seed=42):
    """``size`` import records: projects, trainings, policies and news, 1–3 languages each."""
    rng = random.Random(seed)
    codes = ["zh-hans", "en", "ru"]
    records = []
    for n in range(size):
        kind_key = rng.choice(list(KINDS))
        topic, place = rng.choice(TOPICS), rng.choice(PLACES)
        langs = rng.sample(range(3), rng.choice([1, 1, 2, 3]))
        year = rng.randint(2014, 2026)
        record = {
            "external_id": f"bench-{kind_key}-{n:06d}",
            "type": kind_key,
            "translations": {codes[i]: _texts(i, topic, place, KINDS[kind_key], n) for i in langs},
            "countries": sorted({place[3], rng.choice(PLACES)[3]}),
            "themes": sorted({topic[3], rng.choice(TOPICS)[3]}),
        }
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if kind_key in ("project", "training"):
            record.update(status="ongoing", start_date=date)
        elif kind_key == "policy":
            record.update(status="in_force", document_date=date)
        else:
            record.update(date=date)
        records.append(record)
    return records
