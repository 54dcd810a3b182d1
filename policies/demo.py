# ruff: noqa: E501  (content: long sentences in three languages)
"""Demo policy documents, from the founding document (China Environment News, 2018).

``load(home, stdout)`` is idempotent: pages are keyed by ``external_id`` and
updated in place; organisations are keyed by their English name. Dates and
document numbers are given only where they are certain; the rest stay empty.
"""

import datetime
import re

from anyascii import anyascii
from django.db import transaction

from portal import languages
from portal.core.models import Country, Organisation, Theme
from portal.core.pages import ascii_slug

from .models import PolicyDocumentPage, PolicyIndexPage, PolicyRelation

D = datetime.date

# ---------------------------------------------------------------- helpers (news/demo.py uses them too)


def language_slug(text):
    """ASCII slug of a title: 生态环境 -> sheng-tai-huan-jing, Экология -> ekologiia."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", anyascii(text))
    return ascii_slug(spaced, max_length=60)


def _body(text):
    return (
        [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in text.split("\n\n") if p.strip()]
        if text
        else []
    )


def _same(current, value):
    if isinstance(value, list):  # a body
        current = [(b["type"], b["value"]) for b in (current.raw_data if current is not None else [])]
        return current == [(b["type"], b["value"]) for b in value]
    return (current or "") == (value or "") if isinstance(value, str) else current == value


def upsert_page(parent, model, external_id, slug, texts, fields=None, countries=(), themes=()):
    """Create or update a page of ``model`` under ``parent``; publish it if anything changed.

    ``texts`` is {lang: {field: text}} for ``title`` and the model's translated
    fields (``body`` as plain paragraphs separated by blank lines). Returns
    (page, "created" | "updated" | "unchanged").
    """
    page = model.objects.filter(external_id=external_id).first()
    created = page is None
    if created:
        page = model(external_id=external_id)
    changed = created
    values = dict(fields or {})
    for name in model.type_options.translated_fields:
        for code in languages.LANGUAGE_CODES:
            text = texts.get(code, {}).get(name, "")
            values[languages.localized_field(name, code)] = _body(text) if name == "body" else text
    # Per-language slugs, unique among the siblings in each language.
    siblings = parent.get_children().exclude(pk=page.pk) if page.pk else parent.get_children()
    for code in languages.LANGUAGE_CODES:
        column = languages.localized_field("slug", code)
        title = texts.get(code, {}).get("title")
        if code == languages.DEFAULT_LANGUAGE:
            value = slug
        else:
            value = language_slug(title) if title else ""
        taken = set(siblings.values_list(column, flat=True))
        base, n = value, 1
        while value and value in taken:
            n += 1
            value = f"{base}-{n}"
        values[column] = value
    for name, value in values.items():
        if not _same(getattr(page, name), value):
            setattr(page, name, value)
            changed = True
    if created:
        page.slug = slug
        parent.add_child(instance=page)
    for name, model_, key, wanted in (
        ("countries", Country, "code", countries),
        ("themes", Theme, "slug", themes),
    ):
        manager = getattr(page, name)
        if sorted(manager.values_list(key, flat=True)) != sorted(wanted):
            manager.set(model_.objects.filter(**{f"{key}__in": wanted}))
            changed = True
    if changed:
        page.save_revision().publish()
    return page, "created" if created else ("updated" if changed else "unchanged")


def ensure_index(home, model, slug, titles, intros):
    texts = {code: {"title": titles[code], "intro": intros.get(code, "")} for code in titles}
    page = model.objects.child_of(home).first()
    if page is None:
        page = model(slug=slug)
        for code, title in titles.items():
            setattr(page, languages.localized_field("title", code), title)
        page.slug_en = slug
        home.add_child(instance=page)
    changed = False
    for code, text in texts.items():
        for name, value in text.items():
            column = languages.localized_field(name, code)
            if getattr(page, column) != value:
                setattr(page, column, value)
                changed = True
        column = languages.localized_field("slug", code)
        if not getattr(page, column):
            setattr(page, column, slug)
            changed = True
    if changed or not page.live:
        page.save_revision().publish()
    return page


def organisation(name_en, zh, ru, kind, country=None, acronym=""):
    org, _created = Organisation.objects.get_or_create(
        name_en=name_en,
        defaults=dict(
            name=name_en,
            name_zh_hans=zh,
            name_ru=ru,
            kind=kind,
            acronym=acronym,
            acronym_en=acronym,
            country=Country.objects.filter(code=country).first() if country else None,
        ),
    )
    return org


def report(stdout, label, outcomes):
    counts = {k: outcomes.count(k) for k in ("created", "updated", "unchanged")}
    stdout.write(
        f"{label}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged\n"
    )


# ---------------------------------------------------------------- content

INDEX_TITLES = {"zh-hans": "政策文件", "en": "Policy documents", "ru": "Нормативные документы"}
INDEX_INTROS = {
    "zh-hans": "上合组织成员国及多边层面的环境法律、战略、规划与通知。",
    "en": "Environmental laws, strategies, plans and notices of the SCO states and multilateral texts.",
    "ru": "Экологические законы, стратегии, планы и уведомления государств ШОС и многосторонние документы.",
}


def organisations():
    return {
        "mee": organisation(
            "Ministry of Ecology and Environment",
            "生态环境部",
            "Министерство экологии и окружающей среды КНР",
            "ministry",
            "CN",
            "MEE",
        ),
        "samr": organisation(
            "State Administration for Market Regulation",
            "国家市场监督管理总局",
            "Государственное управление по регулированию рынка КНР",
            "agency",
            "CN",
            "SAMR",
        ),
        "ndrc": organisation(
            "National Development and Reform Commission",
            "国家发展和改革委员会",
            "Государственный комитет по делам развития и реформ КНР",
            "agency",
            "CN",
            "NDRC",
        ),
        "state-council": organisation(
            "State Council of the People's Republic of China",
            "中华人民共和国国务院",
            "Государственный совет КНР",
            "agency",
            "CN",
        ),
        "kz-president": organisation(
            "President of the Republic of Kazakhstan",
            "哈萨克斯坦共和国总统",
            "Президент Республики Казахстан",
            "agency",
            "KZ",
        ),
        "kz-parliament": organisation(
            "Parliament of the Republic of Kazakhstan",
            "哈萨克斯坦共和国议会",
            "Парламент Республики Казахстан",
            "agency",
            "KZ",
        ),
        "ru-president": organisation(
            "President of the Russian Federation",
            "俄罗斯联邦总统",
            "Президент Российской Федерации",
            "agency",
            "RU",
        ),
        "ru-mnr": organisation(
            "Ministry of Natural Resources and Environment of the Russian Federation",
            "俄罗斯联邦自然资源与生态部",
            "Министерство природных ресурсов и экологии Российской Федерации",
            "ministry",
            "RU",
            "Minprirody",
        ),
        "unfccc": organisation(
            "United Nations Framework Convention on Climate Change",
            "联合国气候变化框架公约",
            "Рамочная конвенция ООН об изменении климата",
            "international",
            None,
            "UNFCCC",
        ),
        "sco": organisation(
            "Shanghai Cooperation Organisation",
            "上海合作组织",
            "Шанхайская организация сотрудничества",
            "international",
            None,
            "SCO",
        ),
    }


def documents(orgs):
    """(external_id, en slug, fields, countries, themes, texts) for each document."""
    return [
        (
            "policy-cn-2017-monitoring-opinion",
            "opinion-reform-environmental-monitoring-data-quality",
            dict(
                document_type="opinion",
                document_number="厅字〔2017〕35号",
                date_issued=D(2017, 9, 21),
                status="in_force",
                original_language="zh-hans",
                jurisdiction="CN",
            ),
            ["CN"],
            ["monitoring"],
            {
                "zh-hans": dict(
                    title="关于深化环境监测改革提高环境监测数据质量的意见",
                    issuing_body="中共中央办公厅、国务院办公厅",
                    summary="对环境监测数据弄虚作假“零容忍”，建立环境监测数据质量保障责任体系。",
                    body="意见要求坚决防范地方和部门不当干预，大力推进部门间信息共享，建立“谁出数谁负责、谁签字谁负责”的责任追溯制度。\n\n意见是此后环境监测机构监督管理各项工作的依据。",
                ),
                "en": dict(
                    title="Opinion on deepening the reform of environmental monitoring and improving the quality of monitoring data",
                    issuing_body="General Office of the CPC Central Committee and General Office of the State Council",
                    summary="Zero tolerance for falsified monitoring data; a system of responsibility for the quality of environmental monitoring data.",
                    body="The opinion calls for preventing improper interference by local governments and departments, for sharing information between agencies, and for traceable responsibility: whoever produces or signs a figure answers for it.\n\nIt is the basis of the later rules on the supervision of environmental monitoring institutions.",
                ),
                "ru": dict(
                    title="Мнение об углублении реформы экологического мониторинга и повышении качества данных мониторинга",
                    issuing_body="Канцелярия ЦК КПК и Канцелярия Госсовета КНР",
                    summary="Нулевая терпимость к фальсификации данных мониторинга; система ответственности за качество экологических данных.",
                    body="Документ требует пресекать неправомерное вмешательство местных органов и ведомств, развивать обмен информацией между ведомствами и ввести прослеживаемую ответственность: кто получил или подписал данные, тот за них и отвечает.\n\nНа нём основаны последующие правила надзора за организациями экологического мониторинга.",
                ),
            },
        ),
        (
            "policy-cn-2018-monitoring-institutions-notice",
            "notice-supervision-environmental-monitoring-institutions",
            dict(
                document_type="notice",
                status="in_force",
                original_language="zh-hans",
                jurisdiction="CN",
                issuing_organisation=orgs["mee"],
            ),
            ["CN"],
            ["monitoring"],
            {
                "zh-hans": dict(
                    title="关于加强生态环境监测机构监督管理工作的通知",
                    issuing_body="生态环境部、国家市场监督管理总局",
                    summary="实现对各类生态环境监测机构、监测活动全过程和各方责任的“三个全覆盖”。",
                    body="通知提出九项要求：完善资质管理、建立监管制度、落实责任追溯、开展“双随机”检查、严惩违法行为、实施联合惩戒和信息共享、畅通12369和12365举报渠道、加强监管能力建设、加强部门协作。\n\n下一步将签署合作协议、出台资质认定补充要求，并开展2018—2020年三年监督检查行动。",
                ),
                "en": dict(
                    title="Notice on strengthening the supervision and administration of environmental monitoring institutions",
                    issuing_body="Ministry of Ecology and Environment and State Administration for Market Regulation",
                    summary="“Three full coverages”: all monitoring institutions, every stage of monitoring, and the responsibilities of every party.",
                    body="Nine requirements: qualification rules, a supervision system, traceable responsibility, “double random” inspections, penalties, joint punishment and information sharing, public reporting through the 12369 and 12365 hotlines, inspectors’ capacity, and coordination between agencies.\n\nNext steps: a cooperation agreement between the two agencies, supplementary qualification requirements and a three-year inspection campaign for 2018–2020.",
                ),
                "ru": dict(
                    title="Уведомление об усилении надзора за организациями экологического мониторинга",
                    issuing_body="Министерство экологии и окружающей среды КНР и Государственное управление по регулированию рынка КНР",
                    summary="«Три полных охвата»: все организации мониторинга, все этапы мониторинга и ответственность всех сторон.",
                    body="Девять требований: правила аккредитации, система надзора, прослеживаемая ответственность, проверки по принципу «двойной случайности», санкции, совместные меры и обмен информацией, горячие линии 12369 и 12365, кадры инспекций и координация ведомств.\n\nДалее: соглашение о сотрудничестве двух ведомств, дополнительные требования к аккредитации и трёхлетняя программа проверок на 2018–2020 годы.",
                ),
            },
        ),
        (
            "policy-cn-2018-monitoring-inspection-plan",
            "three-year-monitoring-quality-inspection-plan",
            # Chinese only (the fallback shows in the other languages).
            dict(
                document_type="notice",
                status="in_force",
                original_language="zh-hans",
                jurisdiction="CN",
                issuing_organisation=orgs["mee"],
            ),
            ["CN"],
            ["monitoring"],
            {
                "zh-hans": dict(
                    title="关于印发《生态环境监测质量监督检查三年行动计划（2018—2020年）》的通知",
                    summary="落实监测机构监管通知，在2018—2020年对生态环境监测数据质量开展监督检查。",
                    body="行动计划对排污单位自行监测、社会环境监测机构和地方监测站点开展检查，查处数据弄虚作假行为。",
                ),
            },
        ),
        (
            "policy-un-2015-paris-agreement",
            "paris-agreement",
            dict(
                document_type="agreement",
                scope="multilateral",
                date_issued=D(2015, 12, 12),
                date_in_force=D(2016, 11, 4),
                status="in_force",
                original_language="en",
                issuing_organisation=orgs["unfccc"],
            ),
            [],
            ["climate", "policy-dialogue"],
            {
                "zh-hans": dict(
                    title="巴黎协定",
                    summary="《联合国气候变化框架公约》缔约方于2015年通过的气候变化协定，2016年11月4日生效。",
                    body="协定的目标是将全球平均气温升幅控制在工业化前水平以上低于2°C之内，并努力限制在1.5°C之内。各缔约方通过国家自主贡献参与全球气候治理。",
                ),
                "en": dict(
                    title="Paris Agreement",
                    summary="The climate agreement adopted by the Parties to the UN Framework Convention on Climate Change in 2015; in force since 4 November 2016.",
                    body="It aims to hold the increase in global average temperature well below 2 °C above pre-industrial levels and to pursue efforts to limit it to 1.5 °C. Each Party contributes through its nationally determined contribution.",
                ),
                "ru": dict(
                    title="Парижское соглашение",
                    summary="Климатическое соглашение, принятое сторонами Рамочной конвенции ООН об изменении климата в 2015 году; вступило в силу 4 ноября 2016 года.",
                    body="Цель — удержать рост глобальной средней температуры намного ниже 2 °C сверх доиндустриального уровня и приложить усилия для его ограничения 1,5 °C. Каждая сторона участвует через определяемый на национальном уровне вклад.",
                ),
            },
        ),
        (
            "policy-cn-2016-ghg-control-work-plan",
            "13th-five-year-work-plan-controlling-ghg-emissions",
            dict(
                document_type="plan",
                document_number="国发〔2016〕61号",
                date_issued=D(2016, 10, 27),
                status="in_force",
                original_language="zh-hans",
                jurisdiction="CN",
                issuing_organisation=orgs["state-council"],
            ),
            ["CN"],
            ["climate", "energy"],
            {
                "zh-hans": dict(
                    title="“十三五”控制温室气体排放工作方案",
                    summary="部署“十三五”期间低碳发展和控制温室气体排放的目标任务。",
                    body="方案涵盖低碳能源体系、产业和城镇化低碳发展、碳排放权交易市场和南南合作等内容。",
                ),
                "en": dict(
                    title="Work plan for controlling greenhouse gas emissions during the 13th Five-Year Plan period",
                    summary="Targets and tasks for low-carbon development and greenhouse gas control in 2016–2020.",
                    body="It covers a low-carbon energy system, low-carbon industry and urbanisation, the carbon emissions trading market and South-South cooperation.",
                ),
                "ru": dict(
                    title="Рабочий план по контролю выбросов парниковых газов на период 13-й пятилетки",
                    summary="Цели и задачи низкоуглеродного развития и ограничения выбросов парниковых газов на 2016–2020 годы.",
                    body="План охватывает низкоуглеродную энергетику, промышленность и урбанизацию, рынок торговли квотами на выбросы и сотрудничество Юг–Юг.",
                ),
            },
        ),
        (
            "policy-cn-2014-national-climate-change-plan",
            "national-plan-climate-change-2014-2020",
            dict(
                document_type="plan",
                status="in_force",
                original_language="zh-hans",
                jurisdiction="CN",
                issuing_organisation=orgs["ndrc"],
            ),
            ["CN"],
            ["climate"],
            {
                "zh-hans": dict(
                    title="国家应对气候变化规划（2014—2020年）",
                    summary="我国应对气候变化工作的中长期规划，统筹减缓与适应。",
                ),
                "en": dict(
                    title="National Plan on Climate Change (2014–2020)",
                    summary="China’s medium-term plan for climate action, covering both mitigation and adaptation.",
                ),
                "ru": dict(
                    title="Национальный план по борьбе с изменением климата (2014–2020)",
                    summary="Среднесрочный план Китая по климату: сокращение выбросов и адаптация.",
                ),
            },
        ),
        (
            "policy-kz-2013-green-economy-concept",
            "concept-transition-green-economy-kazakhstan",
            dict(
                document_type="strategy",
                document_number="Указ № 577",
                date_issued=D(2013, 5, 30),
                status="in_force",
                original_language="ru",
                jurisdiction="KZ",
                issuing_organisation=orgs["kz-president"],
            ),
            ["KZ"],
            ["energy", "climate", "water", "waste"],
            {
                "zh-hans": dict(
                    title="哈萨克斯坦共和国向“绿色经济”过渡构想",
                    summary="哈萨克斯坦以总统令批准的构想，目标是到2050年向绿色经济转型。",
                    body="构想涉及可再生能源、能效、水资源、废物管理和空气质量。",
                ),
                "en": dict(
                    title="Concept for the transition of the Republic of Kazakhstan to a green economy",
                    summary="Approved by presidential decree; sets the transition of Kazakhstan’s economy to a green economy by 2050.",
                    body="It covers renewable energy, energy efficiency, water resources, waste management and air quality.",
                ),
                "ru": dict(
                    title="Концепция по переходу Республики Казахстан к «зелёной экономике»",
                    summary="Утверждена указом Президента; определяет переход экономики Казахстана к «зелёной экономике» к 2050 году.",
                    body="Охватывает возобновляемую энергетику, энергоэффективность, водные ресурсы, обращение с отходами и качество воздуха.",
                ),
            },
        ),
        (
            "policy-kz-2021-environmental-code",
            "environmental-code-kazakhstan",
            # Russian only (the fallback shows in the other languages).
            dict(
                document_type="law",
                document_number="№ 400-VI ЗРК",
                date_issued=D(2021, 1, 2),
                date_in_force=D(2021, 7, 1),
                status="in_force",
                original_language="ru",
                jurisdiction="KZ",
                issuing_organisation=orgs["kz-parliament"],
            ),
            ["KZ"],
            ["air", "waste", "monitoring"],
            {
                "ru": dict(
                    title="Экологический кодекс Республики Казахстан",
                    summary="Кодекс, регулирующий охрану окружающей среды, экологическую оценку, разрешения на эмиссии и обращение с отходами.",
                    body="Кодекс вводит принцип «загрязнитель платит» и наилучшие доступные техники для крупных объектов.",
                ),
            },
        ),
        (
            "policy-ru-2018-decree-204-national-goals",
            "decree-204-national-goals-2024",
            dict(
                document_type="regulation",
                document_number="Указ № 204",
                date_issued=D(2018, 5, 7),
                date_in_force=D(2018, 5, 7),
                status="amended",
                original_language="ru",
                jurisdiction="RU",
                issuing_organisation=orgs["ru-president"],
            ),
            ["RU"],
            ["air", "water", "waste"],
            {
                "zh-hans": dict(
                    title="关于2024年前俄罗斯联邦国家目标和战略任务的总统令",
                    summary="确定包括“生态”在内的国家项目。",
                ),
                "en": dict(
                    title="Decree on the national goals and strategic objectives of the Russian Federation through to 2024",
                    summary="Sets the national projects, “Ecology” among them.",
                ),
                "ru": dict(
                    title="Указ «О национальных целях и стратегических задачах развития Российской Федерации на период до 2024 года»",
                    summary="Определяет национальные проекты, в том числе «Экология».",
                ),
            },
        ),
        (
            "policy-ru-2018-national-project-ecology",
            "national-project-ecology",
            dict(
                document_type="plan",
                date_issued=D(2018, 12, 24),
                status="in_force",
                original_language="ru",
                jurisdiction="RU",
                issuing_organisation=orgs["ru-mnr"],
            ),
            ["RU"],
            ["air", "water", "waste", "biodiversity"],
            {
                "zh-hans": dict(
                    title="俄罗斯国家项目“生态”",
                    summary="涵盖固体废物处置、城市空气治理、饮用水和水体保护等联邦项目。",
                    body="国家项目呼应2018年总统国情咨文中关于空气、饮用水和废物的要求。",
                ),
                "en": dict(
                    title="National project “Ecology” (Russia)",
                    summary="Federal projects on solid municipal waste, clean air in industrial cities, drinking water and the protection of water bodies.",
                    body="It follows the 2018 presidential address on air, drinking water and waste.",
                ),
                "ru": dict(
                    title="Национальный проект «Экология»",
                    summary="Федеральные проекты по твёрдым коммунальным отходам, чистому воздуху в промышленных городах, питьевой воде и охране водных объектов.",
                    body="Проект отвечает на задачи послания Президента 2018 года: воздух, питьевая вода и отходы.",
                ),
            },
        ),
        (
            "policy-ru-1998-waste-law-89fz",
            "federal-law-89-fz-waste",
            dict(
                document_type="law",
                document_number="№ 89-ФЗ",
                date_issued=D(1998, 6, 24),
                status="amended",
                original_language="ru",
                jurisdiction="RU",
            ),
            ["RU"],
            ["waste"],
            {
                "en": dict(
                    title="Federal Law on production and consumption waste",
                    issuing_body="Federal Assembly of the Russian Federation",
                    summary="The framework law on waste in Russia.",
                ),
                "ru": dict(
                    title="Федеральный закон «Об отходах производства и потребления»",
                    issuing_body="Федеральное Собрание Российской Федерации",
                    summary="Рамочный закон об обращении с отходами в России.",
                ),
            },
        ),
        (
            "policy-ru-2014-waste-law-amendments-458fz",
            "federal-law-458-fz-waste-amendments",
            dict(
                document_type="law",
                document_number="№ 458-ФЗ",
                date_issued=D(2014, 12, 29),
                status="in_force",
                original_language="ru",
                jurisdiction="RU",
            ),
            ["RU"],
            ["waste"],
            {
                "en": dict(
                    title="Federal Law amending the Law on production and consumption waste",
                    issuing_body="Federal Assembly of the Russian Federation",
                    summary="The waste reform: regional operators and territorial waste management schemes.",
                ),
                "ru": dict(
                    title="Федеральный закон о внесении изменений в Федеральный закон «Об отходах производства и потребления»",
                    issuing_body="Федеральное Собрание Российской Федерации",
                    summary="Реформа обращения с отходами: региональные операторы и территориальные схемы.",
                ),
            },
        ),
        (
            "policy-sco-2018-environmental-cooperation-concept",
            "sco-environmental-protection-cooperation-concept",
            dict(
                document_type="strategy",
                scope="multilateral",
                date_issued=D(2018, 6, 10),
                status="in_force",
                original_language="ru",
                issuing_organisation=orgs["sco"],
            ),
            ["CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK"],
            ["policy-dialogue", "capacity-building"],
            {
                "zh-hans": dict(
                    title="上海合作组织成员国环保合作构想",
                    summary="2018年上合组织青岛峰会批准的成员国环保合作构想。",
                ),
                "en": dict(
                    title="Concept of cooperation of the SCO member states in environmental protection",
                    summary="Approved at the SCO summit in Qingdao in June 2018.",
                ),
                "ru": dict(
                    title="Концепция сотрудничества государств — членов ШОС в области охраны окружающей среды",
                    summary="Одобрена на саммите ШОС в Циндао в июне 2018 года.",
                ),
            },
        ),
    ]


RELATIONS = [
    # (source, relation, target)
    ("policy-cn-2018-monitoring-institutions-notice", "implements", "policy-cn-2017-monitoring-opinion"),
    (
        "policy-cn-2018-monitoring-inspection-plan",
        "implements",
        "policy-cn-2018-monitoring-institutions-notice",
    ),
    ("policy-cn-2016-ghg-control-work-plan", "related", "policy-cn-2014-national-climate-change-plan"),
    ("policy-cn-2016-ghg-control-work-plan", "related", "policy-un-2015-paris-agreement"),
    ("policy-ru-2018-national-project-ecology", "implements", "policy-ru-2018-decree-204-national-goals"),
    ("policy-ru-2014-waste-law-amendments-458fz", "amends", "policy-ru-1998-waste-law-89fz"),
    ("policy-kz-2021-environmental-code", "related", "policy-kz-2013-green-economy-concept"),
]


@transaction.atomic
def load(home, stdout):
    index = ensure_index(home, PolicyIndexPage, "policies", INDEX_TITLES, INDEX_INTROS)
    orgs = organisations()
    pages, outcomes = {}, []
    for external_id, slug, fields, countries, themes, texts in documents(orgs):
        fields = dict(fields)
        code = fields.pop("jurisdiction", None)
        fields["jurisdiction"] = Country.objects.get(code=code) if code else None
        page, outcome = upsert_page(
            index, PolicyDocumentPage, external_id, slug, texts, fields, countries, themes
        )
        pages[external_id] = page
        outcomes.append(outcome)
    for source_id, page in pages.items():
        wanted = [(kind, pages[target].pk) for source, kind, target in RELATIONS if source == source_id]
        current = [(r.relation_type, r.target_id) for r in page.relations.all()]
        if current != wanted:
            page.relations = [PolicyRelation(relation_type=k, target_id=t) for k, t in wanted]
            page.save_revision().publish()
    report(stdout, "Policy documents", outcomes)
    return index
