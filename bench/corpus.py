"""A realistic generated trilingual corpus, in the import format (README, "Content and import"; operations/importing/format.py).

    .venv/bin/python bench/corpus.py --size 10000 --out var/corpus-10k        # items.jsonl + attachments/
    .venv/bin/python bench/corpus.py --size 1000 --seed 7 --out /tmp/c --no-attachments

Why generated and not copied: the benchmarks and the evaluation need text with
the statistics of real content (long bodies, a few frequent terms and a long
tail of rare ones, names that occur once) at 1k, 10k and 100k items, with no
third-party text in the repository. Everything is deterministic by seed: the
same seed and size give byte-identical files, so two runs measure the same work.

What it imitates (proportions in :data:`TYPES`, :data:`ORIGINAL_LANGUAGE`,
:data:`EXTRA_LANGUAGES`):

- **types**: policy documents and news most, then projects, then trainings;
- **languages**: each item is written in one language (Chinese most often,
  then Russian, then English) and translated into none, one or both others; a
  translation says the same thing (same facts, names and numbers);
- **lengths**: summaries of 60–120 words, bodies of 300–3,000 words (log-uniform
  by type: news short, policies long); Chinese "words" are counted as 1.7 characters;
- **vocabulary**: the thesaurus concepts and gazetteer places the portal ships
  (``vocab``'s data), chosen with a Zipf law, so term statistics have a head and
  a tail; **names**: organisations, people and document numbers generated from
  parts, so most occur once or twice (the long tail a real archive has);
- **dates and statuses**: dates from 2000 to 2026, more recent ones more
  likely; statuses consistent with the dates (a project that ended is
  completed, a future one planned);
- **attachments**: about one item in twelve has a small PDF report in English,
  written beside the JSONL (``attachments/<external_id>.pdf``) and listed in the
  record's ``attachments``. ``--no-attachments`` leaves them out (for an
  importer that does not read them).

Countries and themes are read from their one source (``portal/core/data/``),
places and concepts from ``vocab/data/``; none is listed here.
"""

import argparse
import bisect
import datetime
import itertools
import json
import math
import random
import sys
import time
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODES = ("zh-hans", "en", "ru")
REFERENCE_DATE = datetime.date(2026, 11, 30)  # the corpus's dates end here: fixed, so texts are stable


def status_day():
    """The day statuses are decided on: the reference date, or today (UTC, the portal's zone) once past it.

    The importer checks a status against today's date (a project that ended
    on 1 December is completed from the 2nd), so statuses follow the calendar
    while the dates and texts stay the same for a seed.
    """
    return max(REFERENCE_DATE, datetime.datetime.now(datetime.UTC).date())


# (type, weight, body words min, max)
TYPES = [
    ("policy", 35, 600, 3000),
    ("news", 35, 300, 900),
    ("project", 20, 400, 1800),
    ("training", 10, 300, 900),
]
ORIGINAL_LANGUAGE = {"zh-hans": 45, "ru": 35, "en": 20}
# How many languages an item has besides its original one: 0, 1 or 2.
EXTRA_LANGUAGES = {0: 50, 1: 30, 2: 20}
ATTACHMENT_SHARE = 1 / 12


# --- Vocabulary: the portal's own thesaurus and gazetteer ---------------------------


def _read_jsonl(name):
    """A vocabulary file of the vocab app (read as data: the generator needs no database)."""
    with (ROOT / "vocab" / "data" / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _read_taxonomy(name):
    """The one list of countries or themes (``portal/core/data/``), as the seed migration reads it."""
    return json.loads((ROOT / "portal" / "core" / "data" / name).read_text(encoding="utf-8"))


class Zipf:
    """Pick items with probability ~ 1/rank^s: a few often, most rarely."""

    def __init__(self, items, s=1.05):
        self.items = list(items)
        weights = [1 / (rank**s) for rank in range(1, len(self.items) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Vocabulary:
    """Concepts, places, countries and themes with their labels in the three languages."""

    def __init__(self, seed):
        rng = random.Random(f"vocabulary-{seed}")
        concepts = [c for c in _read_jsonl("thesaurus.jsonl") if all(c["labels"].get(k) for k in CODES)]
        places = [p for p in _read_jsonl("gazetteer.jsonl") if all(p["labels"].get(k) for k in CODES)]
        # Countries keep the file's order (members first), so China and Russia lead.
        countries = [
            {"kind": "country", "country": c["code"], "labels": c["labels"]}
            for c in _read_taxonomy("countries.json")
        ]
        # Which terms and places are frequent depends on the seed, not on file order.
        rng.shuffle(concepts)
        rng.shuffle(places)
        self.concepts = Zipf(concepts)
        self.places = Zipf([p for p in places if p["kind"] != "country"], s=0.9)
        self.countries = countries
        self.country_weights = Zipf(self.countries, s=0.9)
        self.themes = [t["code"] for t in _read_taxonomy("themes.json")]
        self.concepts_by_theme = {
            theme: [c for c in concepts if theme in (c.get("themes") or [])] or concepts
            for theme in self.themes
        }

        self._places_by_country = {}
        for place in self.places.items:
            self._places_by_country.setdefault(place.get("country"), []).append(place)

    def places_in(self, country_code):
        return self._places_by_country.get(country_code, [])


def label(entry, code):
    return entry["labels"][code]["pref"]


# --- Names: generated from parts, so most are rare ----------------------------------

# Syllables as (Latin, Cyrillic, Han) for Central Asian / Russian-style names.
SYLLABLES = [
    ("a", "а", "阿"),
    ("ba", "ба", "巴"),
    ("bek", "бек", "别克"),
    ("da", "да", "达"),
    ("dil", "диль", "迪利"),
    ("gul", "гуль", "古丽"),
    ("ka", "ка", "卡"),
    ("kan", "кан", "坎"),
    ("la", "ла", "拉"),
    ("ma", "ма", "马"),
    ("mir", "мир", "米尔"),
    ("na", "на", "纳"),
    ("nur", "нур", "努尔"),
    ("ra", "ра", "拉"),
    ("rus", "рус", "鲁斯"),
    ("sa", "са", "萨"),
    ("sul", "суль", "苏利"),
    ("ta", "та", "塔"),
    ("tem", "тем", "捷姆"),
    ("u", "у", "乌"),
    ("ul", "уль", "乌利"),
    ("za", "за", "扎"),
    ("zha", "жа", "扎"),
    ("er", "ер", "叶尔"),
    ("as", "ас", "阿斯"),
    ("li", "ли", "利"),
    ("ni", "ни", "尼"),
    ("vo", "во", "沃"),
    ("ko", "ко", "科"),
    ("se", "се", "谢"),
]
SURNAME_ENDINGS = [("ov", "ов", "夫"), ("ev", "ев", "耶夫"), ("in", "ин", "因"), ("enko", "енко", "延科")]
# Chinese names as (Han, pinyin, Palladius Cyrillic).
HAN_SURNAMES = [
    ("王", "Wang", "Ван"),
    ("李", "Li", "Ли"),
    ("张", "Zhang", "Чжан"),
    ("刘", "Liu", "Лю"),
    ("陈", "Chen", "Чэнь"),
    ("杨", "Yang", "Ян"),
    ("黄", "Huang", "Хуан"),
    ("赵", "Zhao", "Чжао"),
    ("吴", "Wu", "У"),
    ("周", "Zhou", "Чжоу"),
    ("徐", "Xu", "Сюй"),
    ("孙", "Sun", "Сунь"),
    ("马", "Ma", "Ма"),
    ("朱", "Zhu", "Чжу"),
    ("胡", "Hu", "Ху"),
    ("郭", "Guo", "Го"),
    ("何", "He", "Хэ"),
    ("高", "Gao", "Гао"),
    ("林", "Lin", "Линь"),
    ("罗", "Luo", "Ло"),
]
HAN_GIVEN = [
    ("建", "jian", "цзянь"),
    ("华", "hua", "хуа"),
    ("明", "ming", "мин"),
    ("红", "hong", "хун"),
    ("伟", "wei", "вэй"),
    ("丽", "li", "ли"),
    ("国", "guo", "го"),
    ("平", "ping", "пин"),
    ("新", "xin", "синь"),
    ("玉", "yu", "юй"),
    ("海", "hai", "хай"),
    ("林", "lin", "линь"),
    ("峰", "feng", "фэн"),
    ("军", "jun", "цзюнь"),
    ("清", "qing", "цин"),
    ("涛", "tao", "тао"),
    ("文", "wen", "вэнь"),
    ("静", "jing", "цзин"),
    ("强", "qiang", "цян"),
    ("云", "yun", "юнь"),
]

# Organisation name patterns: {c} a concept, {p} a place, in each language.
ORGANISATION_PATTERNS = [
    ("{p}{c}研究所", "{p} Institute for {c}", "Институт по направлению «{c}» ({p})"),
    (
        "{p}生态环境局",
        "{p} Bureau of Ecology and Environment",
        "Управление экологии и окружающей среды ({p})",
    ),
    ("{p}{c}中心", "{p} Centre for {c}", "Центр «{c}» ({p})"),
    ("{p}环境监测站", "{p} Environmental Monitoring Station", "Станция экологического мониторинга ({p})"),
    ("{p}大学{c}实验室", "{c} Laboratory, University of {p}", "Лаборатория «{c}», университет ({p})"),
    ("{p}{c}协会", "{p} Association for {c}", "Ассоциация «{c}» ({p})"),
]
# Document numbers as printed: Chinese documents, and CIS-style ones ({s}, {r}: series letters).
CHINESE_NUMBERS = ["环发〔{y}〕{n}号", "{abbr}〔{y}〕{n}号", "{abbr}函〔{y}〕{n}号"]
CIS_NUMBERS = [
    "Решение № {n}/{y}",
    "Постановление № {n}-{s} от {y} г.",
    "Закон № {n}-{r}",
    "Приказ № {n}-{s}",
]
HAN_ABBREVIATIONS = ["国办发", "环办", "发改环资", "水利部", "林草局"]


class Names:
    """Generated organisations, people and document numbers (deterministic by the item's rng)."""

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary

    def person(self, rng):
        """A name in the three languages: Chinese, or Central Asian / Russian style."""
        if rng.random() < 0.45:
            surname = rng.choice(HAN_SURNAMES)
            given = [rng.choice(HAN_GIVEN) for _ in range(rng.choice((1, 2, 2)))]
            zh = surname[0] + "".join(g[0] for g in given)
            en = f"{surname[1]} {''.join(g[1] for g in given).capitalize()}"
            ru = f"{surname[2]} {''.join(g[2] for g in given).capitalize()}"
            return {"zh-hans": zh, "en": en, "ru": ru}
        given = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))]
        family = [rng.choice(SYLLABLES) for _ in range(2)] + [rng.choice(SURNAME_ENDINGS)]
        feminine = rng.random() < 0.45

        def word(parts, index, feminine_suffix=""):
            text = "".join(p[index] for p in parts)
            return (text + feminine_suffix).capitalize()

        en = f"{word(given, 0)} {word(family, 0, 'a' if feminine else '')}"
        ru = f"{word(given, 1)} {word(family, 1, 'а' if feminine else '')}"
        zh = f"{''.join(p[2] for p in given)}·{''.join(p[2] for p in family)}{'娃' if feminine else ''}"
        return {"zh-hans": zh, "en": en, "ru": ru}

    def organisation(self, rng, place):
        concept = self.vocabulary.concepts.pick(rng)
        pattern = rng.choice(ORGANISATION_PATTERNS)
        return {
            code: pattern[i].format(p=label(place, code), c=_cap(label(concept, code), code))
            for i, code in enumerate(CODES)
        }

    def document_number(self, rng, year, chinese):
        """A number as printed on the document: Chinese style for Chinese documents, else CIS style."""
        pattern = rng.choice(CHINESE_NUMBERS if chinese else CIS_NUMBERS)
        return pattern.format(
            y=year,
            n=rng.randint(1, 480),
            s=rng.choice(("п", "р", "ПП", "VI")),
            r=rng.choice(("З", "VI", "ЗРК", "ФЗ")),
            abbr=rng.choice(HAN_ABBREVIATIONS),
        )


def _cap(text, code):
    return text[:1].upper() + text[1:] if code != "zh-hans" else text


# --- Sentences: one template per language, the same facts in each --------------------

# Slots: {c} {c2} concepts, {p} a place, {o} an organisation, {who} a person,
# {y} a year, {n} a number, {pct} a percentage, {km} an area.
SENTENCES = [
    (
        "{p}在{c}方面取得积极进展，{y}年相关指标改善{pct}%。",
        "{p} made steady progress on {c}, with the related indicators improving by {pct}% in {y}.",
        "В регионе {p} достигнут заметный прогресс по направлению «{c}»: в {y} году показатели улучшились на {pct}%.",
    ),
    (
        "{o}与合作伙伴共同开展{c}联合研究，覆盖面积约{km}平方公里。",
        "{o} and its partners carry out joint research on {c} covering about {km} square kilometres.",
        "{o} вместе с партнёрами ведёт совместные исследования по теме «{c}» на площади около {km} кв. км.",
    ),
    (
        "{who}指出，{c}与{c2}密切相关，需要统筹推进。",
        "{who} noted that {c} is closely linked to {c2} and that both need to be addressed together.",
        "{who} отметил(а), что «{c}» тесно связано с темой «{c2}» и требует комплексного подхода.",
    ),
    (
        "截至{y}年底，共建成{n}个{c}示范点。",
        "By the end of {y}, {n} demonstration sites for {c} had been set up.",
        "К концу {y} года создано {n} демонстрационных площадок по направлению «{c}».",
    ),
    (
        "各方同意在{p}建立{c}信息共享机制，并定期交换监测数据。",
        "The parties agreed to set up an information-sharing mechanism on {c} in {p} and to exchange monitoring data regularly.",
        "Стороны договорились создать в регионе {p} механизм обмена информацией по теме «{c}» и регулярно обмениваться данными мониторинга.",
    ),
    (
        "本文件适用于{p}境内与{c}有关的规划、建设和运营活动。",
        "This document applies to planning, construction and operation related to {c} in {p}.",
        "Настоящий документ применяется к планированию, строительству и эксплуатации объектов, связанных с темой «{c}», в регионе {p}.",
    ),
    (
        "{o}负责组织实施，并于每年{m}月底前报送进展情况。",
        "{o} is responsible for implementation and reports on progress every year by the end of month {m}.",
        "{o} отвечает за реализацию и ежегодно до конца {m}-го месяца представляет отчёт о ходе работ.",
    ),
    (
        "培训内容包括{c}、{c2}以及相关政策法规，共有{n}名学员参加。",
        "The programme covered {c}, {c2} and the related legislation; {n} participants attended.",
        "Программа охватывала темы «{c}» и «{c2}», а также соответствующее законодательство; участвовало {n} слушателей.",
    ),
    (
        "{y}年，{p}{c}投资达到{n}亿元，同比增长{pct}%。",
        "In {y}, investment in {c} in {p} reached {n} hundred million yuan, up {pct}% year on year.",
        "В {y} году инвестиции в направление «{c}» в регионе {p} достигли {n} сотен миллионов юаней, увеличившись на {pct}%.",
    ),
    (
        "专家建议将{c}纳入地方发展规划，并加强跨境合作。",
        "Experts recommend including {c} in local development plans and strengthening cross-border cooperation.",
        "Эксперты рекомендуют включить тему «{c}» в планы местного развития и укрепить трансграничное сотрудничество.",
    ),
    (
        "会议期间，{who}介绍了{o}在{c}领域的经验。",
        "During the meeting, {who} presented the experience of {o} in {c}.",
        "В ходе встречи {who} рассказал(а) об опыте организации «{o}» в области «{c}».",
    ),
    (
        "监测结果显示，{p}的{c}状况总体稳定，个别地区仍存在风险。",
        "Monitoring shows that the state of {c} in {p} is broadly stable, with risks remaining in some areas.",
        "Результаты мониторинга показывают, что ситуация по теме «{c}» в регионе {p} в целом стабильна, но в отдельных районах сохраняются риски.",
    ),
]

TITLE_PATTERNS = {
    "policy": (
        ("{p}{c}管理办法", "Regulation on {c} in {p}", "Положение о направлении «{c}» ({p})"),
        (
            "关于加强{c}工作的通知",
            "Notice on strengthening work on {c}",
            "Уведомление об усилении работы по теме «{c}»",
        ),
        (
            "{c}行动计划（{y}—{y2}年）",
            "Action plan on {c} ({y}–{y2})",
            "План действий по теме «{c}» на {y}–{y2} годы",
        ),
        ("{p}{c}条例", "{p} ordinance on {c}", "Постановление по теме «{c}» ({p})"),
        ("{c}技术规范", "Technical specification for {c}", "Технический регламент: «{c}»"),
    ),
    "news": (
        ("{p}举办{c}研讨会", "{p} hosts a workshop on {c}", "В регионе {p} прошёл семинар по теме «{c}»"),
        (
            "{o}发布{c}年度报告",
            "{o} publishes its annual report on {c}",
            "{o} опубликовала ежегодный доклад по теме «{c}»",
        ),
        ("上合组织国家专家讨论{c}", "SCO experts discuss {c}", "Эксперты ШОС обсудили тему «{c}»"),
        (
            "{p}{c}项目通过验收",
            "{c} project in {p} passes final review",
            "Проект «{c}» в регионе {p} принят комиссией",
        ),
    ),
    "project": (
        ("{p}{c}示范项目", "{c} demonstration project in {p}", "Демонстрационный проект «{c}» ({p})"),
        ("{c}与{c2}联合研究", "Joint research on {c} and {c2}", "Совместные исследования: «{c}» и «{c2}»"),
        ("{p}{c}能力提升项目", "Strengthening {c} in {p}", "Укрепление потенциала по теме «{c}» ({p})"),
    ),
    "training": (
        ("{c}培训班（第{n}期）", "Training course on {c} (session {n})", "Учебный курс «{c}» (сессия {n})"),
        (
            "绿色丝绸之路使者计划：{c}",
            "Green Silk Road Envoys Programme: {c}",
            "Программа «Посланники Зелёного шёлкового пути»: {c}",
        ),
        ("{p}{c}研修班", "{p} seminar on {c}", "Семинар по теме «{c}» ({p})"),
    ),
}


def _words(text, code):
    """Word count as a reader of that language would count it (Chinese: 1.7 characters a word)."""
    return len(text) / 1.7 if code == "zh-hans" else len(text.split())


# --- Items ------------------------------------------------------------------------------


def _weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def _date(rng, earliest=2000):
    """A date between ``earliest`` and the reference date, recent years more likely."""
    span = (REFERENCE_DATE - datetime.date(earliest, 1, 1)).days
    back = int(min(span, rng.expovariate(1 / (span / 4))))
    return REFERENCE_DATE - datetime.timedelta(days=back)


class ItemMaker:
    """One item: its facts drawn once, then rendered in each of its languages."""

    def __init__(self, vocabulary, names, rng, number):
        self.vocabulary, self.names, self.rng, self.number = vocabulary, names, rng, number
        type_row = rng.choices(TYPES, weights=[t[1] for t in TYPES])[0]
        self.type, _weight, self.min_words, self.max_words = type_row
        self.original = _weighted(rng, ORIGINAL_LANGUAGE)
        extra = _weighted(rng, EXTRA_LANGUAGES)
        others = [c for c in CODES if c != self.original]
        # English is the usual second language (the secretariat's pivot).
        others.sort(key=lambda c: (c != "en", rng.random()))
        self.languages = [self.original, *others[:extra]]
        self.country = self.vocabulary.country_weights.pick(rng)
        countries = {self.country["country"]}
        while rng.random() < 0.3:
            countries.add(rng.choice(self.vocabulary.countries)["country"])
        self.countries = sorted(countries)
        local = self.vocabulary.places_in(self.country["country"])
        self.place = rng.choice(local) if local and rng.random() < 0.8 else self.vocabulary.places.pick(rng)
        self.themes = sorted(rng.sample(self.vocabulary.themes, rng.choice((1, 1, 2, 3))))
        self.concepts = [rng.choice(self.vocabulary.concepts_by_theme[t]) for t in self.themes]
        self.date = _date(rng)

    @cached_property
    def external_id(self):
        return f"gen-{self.type}-{self.number:06d}"

    def slots(self):
        """Slot values for one sentence: the item's own concepts and place most of the time."""
        rng, vocabulary = self.rng, self.vocabulary
        concept = rng.choice(self.concepts) if rng.random() < 0.5 else vocabulary.concepts.pick(rng)
        place = self.place if rng.random() < 0.6 else vocabulary.places.pick(rng)
        return {
            "c": concept,
            "c2": vocabulary.concepts.pick(rng),
            "p": place,
            "o": self.names.organisation(rng, place),
            "who": self.names.person(rng),
            "y": rng.randint(max(2000, self.date.year - 5), min(2026, self.date.year + 3)),
            "n": rng.randint(2, 60),
            "m": rng.randint(1, 12),
            "pct": rng.randint(3, 45),
            "km": rng.randint(5, 90) * 100,
        }

    @staticmethod
    def render(template, slots, code):
        values = {}
        for key, value in slots.items():
            if isinstance(value, dict) and "labels" in value:
                values[key] = label(value, code)
            elif isinstance(value, dict):
                values[key] = value[code]
            else:
                values[key] = value
        return template.format(**values, y2=values.get("y", 0) + 4)

    def paragraphs(self, min_words, max_words, one=False):
        """Paragraphs of 2–6 sentences, as facts: ``[[(template, slots), …], …]``.

        The length is drawn log-uniformly between the bounds, counted in English
        words (the translations say the same thing at their own length).
        ``one``: a single paragraph (a summary) that stays within the bounds.
        """
        target = math.exp(self.rng.uniform(math.log(min_words), math.log(max_words)))
        paragraphs, words = [], 0
        while words < target:
            sentences = []
            for _ in range(999 if one else self.rng.randint(2, 6)):
                template, slots = self.rng.choice(SENTENCES), self.slots()
                length = len(self.render(template[1], slots, "en").split())
                if one and words >= min_words and words + length > max_words:
                    return [sentences]
                sentences.append((template, slots))
                words += length
                if one and words >= target:
                    break
            paragraphs.append(sentences)
        return paragraphs

    def text(self, paragraphs, code):
        index = CODES.index(code)
        joiner = "" if code == "zh-hans" else " "
        return "\n\n".join(
            joiner.join(self.render(t[index], s, code) for t, s in sentences) for sentences in paragraphs
        )

    def record(self):
        rng = self.rng
        title_template = rng.choice(TITLE_PATTERNS[self.type])
        title_slots = {**self.slots(), "c": self.concepts[0], "p": self.place, "y": self.date.year}
        summary = self.paragraphs(60, 120, one=True)
        body = self.paragraphs(self.min_words, self.max_words)
        translations = {}
        for code in self.languages:
            title = self.render(title_template[CODES.index(code)], title_slots, code)
            translations[code] = {
                "title": _cap(title, code)[:255],
                "summary": self.text(summary, code),
                "body": self.text(body, code),
            }
        record = {
            "external_id": self.external_id,
            "type": self.type,
            "translations": translations,
            "countries": self.countries,
            "themes": self.themes,
        }
        record.update(getattr(self, f"_{self.type}_fields")())
        return record

    def _project_fields(self):
        start = self.date
        end = start + datetime.timedelta(days=self.rng.randint(180, 5 * 365))
        today = status_day()
        status = "planned" if start > today else "completed" if end < today else "ongoing"
        return {
            "status": status,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "budget_amount": str(self.rng.randint(5, 5000) * 1000),
            "budget_currency": self.rng.choice(("CNY", "CNY", "USD", "RUB", "KZT", "EUR")),
        }

    def _training_fields(self):
        start = self.date
        end = start + datetime.timedelta(days=self.rng.randint(2, 21))
        today = status_day()
        if end < today:
            status = "completed"
        elif start <= today:
            status = "ongoing"
        else:
            status = "open" if (start - today).days < 90 else "planned"
        return {"status": status, "start_date": start.isoformat(), "end_date": end.isoformat()}

    def _policy_fields(self):
        rng = self.rng
        status = _weighted(rng, {"in_force": 70, "amended": 12, "repealed": 8, "draft": 5})
        issued = self.date
        in_force = issued + datetime.timedelta(days=rng.choice((0, 30, 90, 180)))
        fields = {
            "document_type": _weighted(
                rng,
                {
                    "law": 8,
                    "regulation": 25,
                    "strategy": 8,
                    "plan": 15,
                    "notice": 20,
                    "standard": 12,
                    "agreement": 4,
                    "opinion": 8,
                },
            ),
            "document_number": self.names.document_number(rng, issued.year, self.country["country"] == "CN"),
            "scope": "multilateral" if rng.random() < 0.1 else "national",
            "document_date": issued.isoformat(),
            "status": status,
            "original_language": self.original,
        }
        if status != "draft":
            fields["date_in_force"] = in_force.isoformat()
        return fields

    def _news_fields(self):
        rng = self.rng
        fields = {"kind": "event" if rng.random() < 0.25 else "news", "date": self.date.isoformat()}
        if fields["kind"] == "event":
            end = self.date + datetime.timedelta(days=rng.randint(0, 4))
            fields.update(end_date=end.isoformat(), place=label(self.place, self.original))
        else:
            source = self.names.organisation(rng, self.place)
            fields.update(source=source[self.original][:255])
        return fields


def generate(size=10_000, seed=42, attachments=False):
    """``size`` import records, the same for the same seed (a generator: memory stays flat)."""
    vocabulary = Vocabulary(seed)
    names = Names(vocabulary)
    for number in range(size):
        rng = random.Random(f"{seed}-{number}")  # each item independent: item n is the same at 1k and 100k
        maker = ItemMaker(vocabulary, names, rng, number)
        record = maker.record()
        if attachments and rng.random() < ATTACHMENT_SHARE:
            paragraphs = maker.paragraphs(200, 800)
            record["attachments"] = [
                {
                    "file": f"attachments/{maker.external_id}.pdf",
                    "title": {
                        "en": f"Report: {record['translations'].get('en', {}).get('title', maker.external_id)}"
                    },
                    "language": "en",
                    "text": maker.text(paragraphs, "en"),  # removed by write(), which puts it in the PDF
                }
            ]
        yield record


# --- PDF: a minimal, valid PDF 1.4 with a text layer (Latin-1 text, Helvetica) ----------


def pdf_bytes(title, text, width=90, lines_per_page=48):
    """A small multi-page PDF whose text layer is ``text`` (what pypdf extracts)."""
    lines = [title, ""]
    for paragraph in text.split("\n\n"):
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines += [line, ""]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[title]]
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for page_lines in pages:

        def escape(s):
            s = s.encode("latin-1", "replace").decode("latin-1")
            return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

        stream = (
            "BT /F1 10 Tf 50 800 Td 14 TL " + " ".join(f"({escape(line)}) '" for line in page_lines) + " ET"
        )
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content} 0 R >>"
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write(folder, size, seed=42, attachments=True, progress=None):
    """Write ``items.jsonl`` (and ``attachments/*.pdf``) into ``folder``; returns the JSONL path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "items.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n, record in enumerate(generate(size, seed, attachments), start=1):
            for attachment in record.get("attachments", []):
                target = folder / attachment["file"]
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(pdf_bytes(attachment["title"]["en"], attachment.pop("text")))
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            if progress and (n % 1000 == 0 or n == size):
                progress(n, size)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of items (1000, 10000, 100000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", required=True, help="folder to write items.jsonl and attachments/ into")
    parser.add_argument("--no-attachments", action="store_true", help="no PDFs, no 'attachments' field")
    args = parser.parse_args(argv)
    started = time.monotonic()

    def progress(done, total):
        rate = done / max(time.monotonic() - started, 1e-6)
        sys.stderr.write(f"\r{done}/{total} items, {rate:,.0f}/s")
        sys.stderr.flush()

    path = write(args.out, args.size, args.seed, attachments=not args.no_attachments, progress=progress)
    sys.stderr.write(f"\nwrote {path} ({path.stat().st_size / 1e6:.1f} MB)\n")


if __name__ == "__main__":
    main()
