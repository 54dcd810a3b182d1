# ruff: noqa: E501  (content: long sentences in three languages)
"""Demo news and events, from the founding document (China Environment News, 2018).

``load(home, stdout)`` is idempotent (pages keyed by ``external_id``). Event
dates are the real ones; news items are dated within mid-2018, when the
founding page appeared, unless the fact they report has its own date.
"""

import datetime

from django.db import transaction

from policies.demo import ensure_index, report, upsert_page

from .models import NewsIndexPage, NewsPage

D = datetime.date

INDEX_TITLES = {"zh-hans": "新闻与活动", "en": "News and events", "ru": "Новости и события"}
INDEX_INTROS = {
    "zh-hans": "上合组织环境合作的新闻、会议与培训。",
    "en": "News, meetings and trainings of SCO environmental cooperation.",
    "ru": "Новости, встречи и обучение в сфере экологического сотрудничества ШОС.",
}

SOURCE = {"zh-hans": "中国环境报", "en": "China Environment News", "ru": "«Чжунго хуаньцзин бао»"}


def t(title, summary, body="", place="", source=""):
    return {
        k: v
        for k, v in dict(title=title, summary=summary, body=body, place=place, source=source).items()
        if v
    }


ITEMS = [
    # (external_id, en slug, fields, countries, themes, {lang: texts})
    (
        "event-2018-sco-qingdao-summit",
        "sco-summit-qingdao-2018",
        dict(kind="event", date=D(2018, 6, 9), end_date=D(2018, 6, 10)),
        ["CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK"],
        ["policy-dialogue"],
        {
            "zh-hans": t(
                "上海合作组织青岛峰会",
                "上合组织成员国元首理事会会议在青岛举行，批准成员国环保合作构想。",
                "峰会为上合组织环保合作注入新动力，绿色丝绸之路建设成为各方共识。",
                place="中国山东青岛",
            ),
            "en": t(
                "SCO summit in Qingdao",
                "The Council of Heads of State of the SCO met in Qingdao and approved the member states’ concept of environmental cooperation.",
                "The summit gave new impetus to environmental cooperation; building a green Silk Road is shared ground among the members.",
                place="Qingdao, Shandong, China",
            ),
            "ru": t(
                "Саммит ШОС в Циндао",
                "Совет глав государств — членов ШОС собрался в Циндао и одобрил концепцию экологического сотрудничества.",
                "Саммит придал новый импульс экологическому сотрудничеству; «зелёный Шёлковый путь» стал общей целью.",
                place="Циндао, провинция Шаньдун, Китай",
            ),
        },
    ),
    (
        "news-2014-china-sco-environment-centre-founded",
        "china-sco-environmental-cooperation-center-founded",
        dict(kind="news", date=D(2014, 6, 4)),
        ["CN"],
        ["policy-dialogue", "capacity-building"],
        {
            "zh-hans": t(
                "中国—上海合作组织环境保护合作中心成立",
                "中心负责推动中国与上合组织成员国的环保合作。",
                "中心成立以来举办了11期研讨会、交流和培训活动，并推动建设上合组织环境信息共享平台。",
            ),
            "en": t(
                "China-SCO Environmental Protection Cooperation Center founded",
                "The centre is to advance environmental cooperation between China and the other SCO member states.",
                "Since its founding it has held 11 seminars, exchanges and training courses and has led the SCO environmental information sharing platform.",
            ),
            "ru": t(
                "Основан Китайско-шосовский центр сотрудничества в области охраны окружающей среды",
                "Центр развивает экологическое сотрудничество Китая с государствами — членами ШОС.",
                "С момента основания центр провёл 11 семинаров, обменов и учебных курсов и ведёт платформу обмена экологической информацией ШОС.",
            ),
        },
    ),
    (
        "news-2014-sco-information-sharing-platform",
        "sco-environmental-information-sharing-platform",
        dict(kind="news", date=D(2018, 6, 8)),
        ["CN", "RU", "KZ", "KG", "TJ", "UZ"],
        ["monitoring", "policy-dialogue"],
        {
            "zh-hans": t(
                "上合组织环境信息共享平台：中、英、俄三种语言",
                "平台自2014年初启动建设，用于环境信息共享、政策对话、示范项目、联合研究和能力建设。",
                source=SOURCE["zh-hans"],
            ),
            "en": t(
                "SCO environmental information sharing platform: one portal in Chinese, English and Russian",
                "Started in early 2014, the platform serves environmental information sharing, policy dialogue, demonstration projects, joint research and capacity building.",
                source=SOURCE["en"],
            ),
            "ru": t(
                "Платформа обмена экологической информацией ШОС: портал на китайском, английском и русском языках",
                "Создаётся с начала 2014 года для обмена экологической информацией, политического диалога, демонстрационных проектов, совместных исследований и наращивания потенциала.",
                source=SOURCE["ru"],
            ),
        },
    ),
    (
        "news-2017-2-26-research-teams",
        "research-teams-2-26-cities",
        dict(kind="news", date=D(2017, 9, 14)),
        ["CN"],
        ["air", "monitoring"],
        {
            "zh-hans": t(
                "28个跟踪研究工作组进驻“2+26”城市",
                "自2017年9月14日起，专家团队进驻京津冀大气污染传输通道城市，实行“一市一策”。",
            ),
            "en": t(
                "Research teams sent to the “2+26” cities",
                "From 14 September 2017, 28 expert teams went to the cities of the Beijing-Tianjin-Hebei air pollution transport corridor: “one city, one policy”.",
            ),
            "ru": t(
                "Исследовательские группы направлены в города «2+26»",
                "С 14 сентября 2017 года 28 групп экспертов работают в городах коридора переноса загрязнения воздуха Пекин — Тяньцзинь — Хэбэй по принципу «один город — одна политика».",
            ),
        },
    ),
    (
        "news-2018-liaocheng-air-quality",
        "liaocheng-air-quality-autumn-winter-2017",
        dict(kind="news", date=D(2018, 6, 8)),
        ["CN"],
        ["air", "monitoring"],
        {
            "zh-hans": t(
                "聊城：2017年秋冬季PM2.5浓度下降23.3%",
                "聊城市PM2.5平均浓度为79微克/立方米，同比下降23.3%；重污染天数14天，下降57.6%。",
                "源解析和高分辨率排放清单为精细化管理提供支撑。建议：全域与多污染物协同控制、工业无组织排放全过程控制、城市扬尘管理，以及以动态源解析和排放清单为基础的科技支撑。",
                source=SOURCE["zh-hans"],
            ),
            "en": t(
                "Liaocheng: PM2.5 down 23.3% in autumn and winter 2017",
                "Average PM2.5 in Liaocheng (Shandong) was 79 µg/m³, down 23.3%; there were 14 days of heavy pollution, down 57.6%.",
                "Source apportionment and a high-resolution emission inventory made refined management possible. Recommendations: whole-area and multi-pollutant control, whole-process control of fugitive industrial emissions, urban dust management, and science support through dynamic source apportionment and emission inventories.",
                source=SOURCE["en"],
            ),
            "ru": t(
                "Ляочэн: PM2.5 осенью и зимой 2017 года снизилась на 23,3 %",
                "Средняя концентрация PM2.5 в Ляочэне (провинция Шаньдун) — 79 мкг/м³, на 23,3 % ниже; 14 дней сильного загрязнения, на 57,6 % меньше.",
                "Определение источников и кадастр выбросов высокого разрешения позволили перейти к точечному управлению.",
                source=SOURCE["ru"],
            ),
        },
    ),
    (
        "news-2018-xiang-river-discharge-fined",
        "xiang-river-wastewater-discharge-fined",
        dict(kind="news", date=D(2018, 6, 8)),
        ["CN"],
        ["water"],
        {
            "zh-hans": t(
                "株洲清水塘附近药企向湘江偷排废水被查处",
                "湖南省环境保护厅检查发现，一家制药企业将未经处理的废水排入湘江，已依法处罚。",
                source=SOURCE["zh-hans"],
            ),
            "en": t(
                "Pharmaceutical company fined for discharging wastewater into the Xiang River",
                "Inspectors of the Hunan provincial environment department found a company near the Qingshuitang ferry in Zhuzhou discharging untreated wastewater into the Xiang River, and fined it.",
                source=SOURCE["en"],
            ),
            # No Russian text: the fallback shows.
        },
    ),
    (
        "news-2018-south-south-climate-cooperation",
        "south-south-climate-cooperation-10-100-1000",
        dict(kind="news", date=D(2018, 6, 8)),
        ["CN"],
        ["climate", "capacity-building"],
        {
            "zh-hans": t(
                "气候变化南南合作：已培训发展中国家官员和专家2000余名",
                "“十百千”倡议：10个低碳示范区、100个减缓和适应气候变化项目、1000个培训名额。",
                "中国还通过联合国捐赠600万美元，支持发展中国家应对气候变化。",
                source=SOURCE["zh-hans"],
            ),
            "en": t(
                "South-South climate cooperation: more than 2,000 officials and experts trained",
                "The “10-100-1000” initiative: 10 low-carbon demonstration zones, 100 mitigation and adaptation projects and 1,000 training places in developing countries.",
                "China also donated USD 6 million through the United Nations to support climate action in developing countries.",
                source=SOURCE["en"],
            ),
            "ru": t(
                "Сотрудничество Юг–Юг по климату: обучено более 2000 чиновников и экспертов",
                "Инициатива «10-100-1000»: 10 низкоуглеродных демонстрационных зон, 100 проектов по смягчению и адаптации и 1000 мест для обучения в развивающихся странах.",
                "Китай также передал через ООН 6 млн долларов США на климатические меры развивающихся стран.",
                source=SOURCE["ru"],
            ),
        },
    ),
    (
        "news-2018-green-silk-road-envoys",
        "green-silk-road-envoys-programme",
        dict(kind="news", date=D(2018, 6, 8)),
        ["CN", "KZ", "KG", "TJ", "UZ", "RU"],
        ["capacity-building"],
        {
            "zh-hans": t(
                "绿色丝路使者计划：环境信息化与污染防治技术培训",
                "依据2016—2020年框架文件，计划为上合组织国家举办环境信息化、污染防治技术等培训班。",
            ),
            "en": t(
                "Green Silk Road Envoys Programme: training in environmental informatisation and pollution control",
                "Under its 2016–2020 framework document, the programme runs training courses for SCO states on environmental informatisation and pollution prevention technology.",
            ),
            "ru": t(
                "Программа «Посланники зелёного Шёлкового пути»: обучение экологической информатизации и технологиям борьбы с загрязнением",
                "В рамках рамочного документа на 2016–2020 годы проводятся курсы для государств ШОС по экологической информатизации и технологиям предотвращения загрязнения.",
            ),
        },
    ),
    (
        "news-2018-russia-address-air-water-waste",
        "russia-2018-address-air-water-waste",
        dict(kind="news", date=D(2018, 3, 1)),
        ["RU"],
        ["air", "water", "waste"],
        {
            "en": t(
                "Russia: 2018 presidential address puts air, drinking water and waste first",
                "The address to the Federal Assembly set tasks on clean air in industrial cities, drinking water and the handling of waste.",
            ),
            "ru": t(
                "Россия: послание Президента 2018 года — воздух, питьевая вода и отходы",
                "В послании Федеральному Собранию поставлены задачи по чистому воздуху в промышленных городах, питьевой воде и обращению с отходами.",
            ),
        },
    ),
    (
        "news-2018-sco-cooperation-interests",
        "sco-states-environmental-cooperation-interests",
        dict(kind="news", date=D(2018, 6, 8)),
        ["RU", "KZ", "KG", "MN", "BY", "IN", "PK"],
        ["waste", "air", "energy", "policy-dialogue"],
        {
            "zh-hans": t(
                "各国合作关注点：俄罗斯固体废物、哈萨克斯坦大气治理、吉尔吉斯斯坦生活垃圾",
                "蒙古国关注可再生能源，白俄罗斯希望全面合作，印度和巴基斯坦新近加入。",
                source=SOURCE["zh-hans"],
            ),
            "en": t(
                "What each state wants from cooperation: solid waste, air quality, household waste",
                "Russia: solid waste; Kazakhstan: air pollution control; Kyrgyzstan: household waste; Mongolia: renewable energy; Belarus: broad cooperation; India and Pakistan have newly joined.",
                source=SOURCE["en"],
            ),
            "ru": t(
                "Интересы государств: твёрдые отходы, качество воздуха, бытовые отходы",
                "Россия — твёрдые отходы; Казахстан — борьба с загрязнением воздуха; Кыргызстан — бытовые отходы; Монголия — возобновляемая энергетика; Беларусь — широкое сотрудничество; Индия и Пакистан недавно присоединились.",
                source=SOURCE["ru"],
            ),
        },
    ),
    (
        "event-2017-belt-and-road-forum",
        "belt-and-road-forum-2017",
        dict(kind="event", date=D(2017, 5, 14), end_date=D(2017, 5, 15)),
        ["CN"],
        ["policy-dialogue"],
        {
            "zh-hans": t(
                "“一带一路”国际合作高峰论坛",
                "论坛期间提出建立“一带一路”绿色发展国际联盟和生态环保大数据服务平台。",
                place="中国北京",
            ),
            "en": t(
                "Belt and Road Forum for International Cooperation",
                "The forum put forward an international green development coalition and an eco-environmental big-data service platform for the Belt and Road.",
                place="Beijing, China",
            ),
            "ru": t(
                "Форум «Один пояс, один путь» по международному сотрудничеству",
                "На форуме предложены международная коалиция зелёного развития и платформа больших данных по экологии для «Пояса и пути».",
                place="Пекин, Китай",
            ),
        },
    ),
    (
        "event-2015-cop21-paris",
        "cop21-paris-2015",
        dict(kind="event", date=D(2015, 11, 30), end_date=D(2015, 12, 12)),
        [],
        ["climate"],
        {
            "zh-hans": t("联合国气候变化巴黎大会（COP21）", "大会通过《巴黎协定》。", place="法国巴黎"),
            "en": t(
                "UN Climate Change Conference in Paris (COP21)",
                "The conference adopted the Paris Agreement.",
                place="Paris, France",
            ),
            "ru": t(
                "Конференция ООН по изменению климата в Париже (КС-21)",
                "Конференция приняла Парижское соглашение.",
                place="Париж, Франция",
            ),
        },
    ),
]


@transaction.atomic
def load(home, stdout):
    index = ensure_index(home, NewsIndexPage, "news", INDEX_TITLES, INDEX_INTROS)
    outcomes = []
    for external_id, slug, fields, countries, themes, texts in ITEMS:
        _page, outcome = upsert_page(index, NewsPage, external_id, slug, texts, fields, countries, themes)
        outcomes.append(outcome)
    report(stdout, "News and events", outcomes)
    return index
