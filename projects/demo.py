"""Demo projects and training programmes, grounded in the founding document.

The facts come from the China Environment News page of mid-2018 (see
``shared/seed``): the SCO environmental information sharing platform, the
China-SCO Environmental Protection Cooperation Center, the Green Silk Road
Envoys Programme, the South-South "10-100-1000" initiative, the Liaocheng
air-quality case and the member states' priorities. Budgets, places and
participant numbers not in the article are illustrative demo values.

``load(home, stdout)`` is idempotent: pages are keyed by ``external_id``,
organisations by English name, series by slug, documents by title.
"""

import datetime
from decimal import Decimal

from anyascii import anyascii
from django.apps import apps
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from portal import languages
from portal.core.models import Country, Organisation, Theme
from portal.core.pages import ascii_slug

from .models import (
    ProgrammeSeries,
    ProjectDocument,
    ProjectIndexPage,
    ProjectOrganisation,
    ProjectPage,
    ProjectPolicyLink,
    TrainingIndexPage,
    TrainingMaterial,
    TrainingParticipants,
    TrainingProgrammePage,
    TrainingSession,
)

D = datetime.date
ZH, EN, RU = "zh-hans", "en", "ru"

# --- Taxonomy the demo needs ------------------------------------------------------

ORGANISATIONS = {
    # key: (kind, country, {lang: name}, {lang: acronym}, website)
    "csec": (
        "centre",
        "CN",
        {
            ZH: "中国—上海合作组织环境保护合作中心",
            EN: "China-SCO Environmental Protection Cooperation Center",
            RU: "Китайско-шосовский центр сотрудничества в области охраны окружающей среды",
        },
        {ZH: "上合中心", EN: "CSEC", RU: "ЦСОС"},
        "",
    ),
    "mee": (
        "ministry",
        "CN",
        {
            ZH: "中华人民共和国生态环境部",
            EN: "Ministry of Ecology and Environment of China",
            RU: "Министерство экологии и окружающей среды КНР",
        },
        {ZH: "", EN: "MEE", RU: "МЭОС"},
        "https://www.mee.gov.cn/",
    ),
    "caep": (
        "centre",
        "CN",
        {
            ZH: "生态环境部环境规划院",
            EN: "Chinese Academy of Environmental Planning",
            RU: "Китайская академия экологического планирования",
        },
        {ZH: "", EN: "CAEP", RU: ""},
        "",
    ),
    "nccs": (
        "centre",
        "CN",
        {
            ZH: "国家应对气候变化战略研究和国际合作中心",
            EN: "National Center for Climate Change Strategy and International Cooperation",
            RU: "Национальный центр стратегии борьбы с изменением климата и международного сотрудничества",
        },
        {ZH: "", EN: "NCSC", RU: ""},
        "",
    ),
    "liaocheng": (
        "agency",
        "CN",
        {
            ZH: "聊城市生态环境局",
            EN: "Liaocheng Municipal Bureau of Ecology and Environment",
            RU: "Управление экологии и окружающей среды города Ляочэн",
        },
        {},
        "",
    ),
    "kz-ministry": (
        "ministry",
        "KZ",
        {
            ZH: "哈萨克斯坦共和国生态与自然资源部",
            EN: "Ministry of Ecology and Natural Resources of Kazakhstan",
            RU: "Министерство экологии и природных ресурсов Республики Казахстан",
        },
        {},
        "",
    ),
    "ru-ministry": (
        "ministry",
        "RU",
        {
            ZH: "俄罗斯联邦自然资源与生态部",
            EN: "Ministry of Natural Resources and Environment of the Russian Federation",
            RU: "Министерство природных ресурсов и экологии Российской Федерации",
        },
        {ZH: "", EN: "", RU: "Минприроды России"},
        "",
    ),
    "kg-agency": (
        "agency",
        "KG",
        {
            ZH: "吉尔吉斯共和国自然资源、生态和技术监督部",
            EN: "Ministry of Natural Resources, Ecology and Technical Supervision of Kyrgyzstan",
            RU: "Министерство природных ресурсов, экологии и технического надзора Кыргызской Республики",
        },
        {},
        "",
    ),
    "mn-ministry": (
        "ministry",
        "MN",
        {
            ZH: "蒙古国能源部",
            EN: "Ministry of Energy of Mongolia",
            RU: "Министерство энергетики Монголии",
        },
        {},
        "",
    ),
    "by-ministry": (
        "ministry",
        "BY",
        {
            ZH: "白俄罗斯共和国自然资源和环境保护部",
            EN: "Ministry of Natural Resources and Environmental Protection of Belarus",
            RU: "Министерство природных ресурсов и охраны окружающей среды Республики Беларусь",
        },
        {ZH: "", EN: "", RU: "Минприроды Беларуси"},
        "",
    ),
    "undp": (
        "international",
        None,
        {ZH: "联合国开发计划署", EN: "United Nations Development Programme", RU: "Программа развития ООН"},
        {ZH: "", EN: "UNDP", RU: "ПРООН"},
        "https://www.undp.org/",
    ),
    "sco-secretariat": (
        "international",
        None,
        {ZH: "上海合作组织秘书处", EN: "SCO Secretariat", RU: "Секретариат ШОС"},
        {ZH: "", EN: "", RU: ""},
        "https://eng.sectsco.org/",
    ),
}

SERIES = {
    "green-silk-road-envoys": {
        "name": {
            ZH: "绿色丝路使者计划",
            EN: "Green Silk Road Envoys Programme",
            RU: "Зелёный Шёлковый путь: посланники",
        },
        "description": {
            ZH: "面向“一带一路”沿线和上合组织国家的环境管理人员与专"
            "家的能力建设计划，框架文件覆盖2016—2020年。",
            EN: "Capacity building for environmental officials and experts of the Belt and Road and SCO "
            "countries; its framework document covers 2016-2020.",
            RU: "Программа повышения квалификации экологических служащих и экспертов стран «Пояса и пути» "
            "и ШОС; рамочный документ охватывает 2016–2020 годы.",
        },
    },
    "south-south-climate": {
        "name": {
            ZH: "应对气候变化南南合作培训",
            EN: "South-South Cooperation on Climate Change training",
            RU: "Обучение в рамках сотрудничества Юг–Юг по изменению климата",
        },
        "description": {
            ZH: "“十百千”倡议的培训部分：为发展中国家提供1000个应对气候变化培训名额。",
            EN: 'The training part of the "10-100-1000" initiative: 1,000 places on climate change courses '
            "for developing countries.",
            RU: "Учебная часть инициативы «10-100-1000»: 1000 мест на курсах по изменению климата "
            "для развивающихся стран.",
        },
    },
}

INDEXES = {
    ProjectIndexPage: {
        "title": {ZH: "合作项目", EN: "Cooperation projects", RU: "Проекты сотрудничества"},
        "slug": {ZH: "xiangmu", EN: "projects", RU: "proekty"},
        "intro": {
            ZH: "上合组织成员国、观察员国和对话伙伴之间的环境合作项目：试点示范、联合研究和信息平台。"
            "（门户演示内容，依据2018年《中国环境报》的报道编写。）",
            EN: "Environmental cooperation projects among SCO members, observers and dialogue partners: "
            "pilots and demonstrations, joint research and information platforms. (Portal demo content, "
            "written from a 2018 China Environment News page.)",
            RU: "Проекты экологического сотрудничества государств-членов, наблюдателей и партнёров ШОС "
            "по диалогу: пилотные и демонстрационные проекты, совместные исследования, информационные "
            "платформы. (Демонстрационное содержание портала по материалам газеты China Environment News, "
            "2018 г.)",
        },
    },
    TrainingIndexPage: {
        "title": {ZH: "培训项目", EN: "Training programmes", RU: "Учебные программы"},
        "slug": {ZH: "peixun", EN: "training", RU: "obuchenie"},
        "intro": {
            ZH: "研讨会、培训班和专家交流，包括绿色丝路使者计划"
            "和应对气候变化南南合作培训。（门户演示内容。）",
            EN: "Seminars, training courses and expert exchanges, including the Green Silk Road Envoys "
            "Programme and South-South climate training. (Portal demo content.)",
            RU: "Семинары, учебные курсы и экспертные обмены, в том числе программа «Зелёный Шёлковый путь: "
            "посланники» и обучение в рамках сотрудничества Юг–Юг. (Демонстрационное содержание портала.)",
        },
    },
}

# --- Projects -------------------------------------------------------------------

PROJECTS = [
    {
        "external_id": "demo-project-info-sharing-platform",
        "title": {
            ZH: "上海合作组织环境信息共享平台",
            EN: "SCO environmental information sharing platform",
            RU: "Платформа обмена экологической информацией ШОС",
        },
        "summary": {
            ZH: "2014年初启动的中、英、俄三语门户，用于分享环境"
            "信息、开展政策对话、试点示范、联合研究和能力建设。",
            EN: "A portal in Chinese, English and Russian, started in early 2014, for sharing environmental "
            "information, policy dialogue, pilot projects, joint research and capacity building.",
            RU: "Портал на китайском, английском и русском языках, запущенный в начале 2014 года, для обмена "
            "экологической информацией, политического диалога, пилотных проектов, совместных исследований "
            "и наращивания потенциала.",
        },
        "body": {
            ZH: [
                "平台由中国—上海合作组织环境保护合作中心建设和运行，汇集各成员国的环境政策、标准、"
                "技术和项目信息。",
                "平台是上合组织环境合作的基础设施，为政策对话、试点示范项目和联合研究提供支撑。",
            ],
            EN: [
                "The platform is built and run by the China-SCO Environmental Protection Cooperation "
                "Center and gathers the member states' environmental policies, standards, technologies "
                "and projects.",
                "It is the infrastructure of SCO environmental cooperation, supporting policy dialogue, "
                "pilot and demonstration projects and joint research.",
            ],
            RU: [
                "Платформу создаёт и ведёт Китайско-шосовский центр сотрудничества в области охраны "
                "окружающей среды; она собирает сведения о природоохранной политике, стандартах, "
                "технологиях и проектах государств-членов.",
                "Это инфраструктура экологического сотрудничества ШОС: она поддерживает политический "
                "диалог, пилотные и демонстрационные проекты и совместные исследования.",
            ],
        },
        "results": {
            ZH: "<ul><li>三语门户上线运行</li><li>各成员国环境政策与项目信息持续更新</li></ul>",
            EN: "<ul><li>Trilingual portal online</li><li>Member states' policies and projects "
            "regularly updated</li></ul>",
            RU: "<ul><li>Трёхъязычный портал работает</li><li>Сведения о политике и проектах "
            "государств-членов регулярно обновляются</li></ul>",
        },
        "place": {ZH: "北京", EN: "Beijing", RU: "Пекин"},
        "coords": ("39.904200", "116.407400"),
        "status": "ongoing",
        "start": D(2014, 1, 15),
        "end": None,
        "countries": ["CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK"],
        "themes": ["monitoring", "policy-dialogue", "capacity-building"],
        "orgs": [("csec", "implementing"), ("mee", "funding"), ("sco-secretariat", "partner")],
        "trainings": ["demo-training-informatisation-2016"],
        "document": "demo-doc-platform",
    },
    {
        "external_id": "demo-project-liaocheng-air-quality",
        "title": {
            ZH: "聊城市大气污染源解析与“一市一策”驻点跟踪研究",
            EN: 'Liaocheng air quality: source apportionment and "one city, one policy"',
            RU: "Качество воздуха в Ляочэне: источники загрязнения и принцип «один город — одна политика»",
        },
        "summary": {
            ZH: "在“2+26”城市驻点跟踪研究中，为山东聊城开展源"
            "解析、编制高分辨率排放清单并提出“一市一策”方案。",
            EN: 'Within the "2+26" cities research, a team analysed the sources of air pollution in '
            "Liaocheng (Shandong), built a high-resolution emission inventory and proposed a city-specific "
            "plan.",
            RU: "В рамках исследования городов «2+26» группа определила источники загрязнения воздуха "
            "в Ляочэне (провинция Шаньдун), составила детальный кадастр выбросов и предложила план "
            "для города.",
        },
        "body": {
            ZH: [
                "2017年9月14日起，28个专家团队进驻京津冀大气污染"
                "传输通道“2+26”城市，开展“一市一策”驻点跟踪研究。",
                "聊城团队提出四项建议：全域、多污染物协同控制；工业无组织排放全过程控制；城市扬尘精细化管理；"
                "以动态源解析和排放清单提供科技支撑。",
            ],
            EN: [
                'From 14 September 2017, 28 research teams were sent to the "2+26" cities of the '
                'Beijing-Tianjin-Hebei air pollution transport corridor to work out "one city, one policy".',
                "The Liaocheng team made four recommendations: whole-area and multi-pollutant control; "
                "whole-process control of fugitive industrial emissions; urban dust management; and "
                "science support through dynamic source apportionment and emission inventories.",
            ],
            RU: [
                "С 14 сентября 2017 года 28 исследовательских групп работали в городах «2+26» коридора "
                "переноса загрязнений Пекин–Тяньцзинь–Хэбэй по принципу «один город — одна политика».",
                "Группа в Ляочэне дала четыре рекомендации: контроль всех территорий и многих "
                "загрязнителей; контроль неорганизованных промышленных выбросов на всех этапах; борьба "
                "с городской пылью; научная поддержка с динамическим анализом источников и кадастрами "
                "выбросов.",
            ],
        },
        "results": {
            ZH: "<p>2017年秋冬季PM2.5平均浓度79微克/立方米，同比下降23.3%；重污染天数14天，下降57.6%。</p>",
            EN: "<p>Autumn-winter 2017: average PM2.5 of 79 µg/m³ (down 23.3%); 14 heavy-pollution days "
            "(down 57.6%).</p>",
            RU: "<p>Осень–зима 2017 года: средняя концентрация PM2.5 — 79 мкг/м³ (на 23,3% ниже); "
            "14 дней сильного загрязнения (на 57,6% меньше).</p>",
        },
        "place": {ZH: "山东省聊城市", EN: "Liaocheng, Shandong", RU: "Ляочэн, провинция Шаньдун"},
        "coords": ("36.456700", "115.985400"),
        "status": "completed",
        "start": D(2017, 9, 14),
        "end": D(2018, 3, 31),
        "countries": ["CN"],
        "themes": ["air", "monitoring"],
        "orgs": [("caep", "implementing"), ("liaocheng", "partner"), ("mee", "funding")],
        "trainings": ["demo-training-urban-air-quality-2018"],
    },
    {
        "external_id": "demo-project-2-26-cities",
        # Chinese only: shows the fallback to Chinese for English and Russian readers.
        "title": {ZH: "京津冀及周边“2+26”城市大气污染防治驻点跟踪研究"},
        "summary": {
            ZH: "28个专家团队分赴“2+26”城市，协助地方开展源解"
            "析、排放清单编制和重污染天气应对，形成“一市一策”。"
        },
        "body": {
            ZH: [
                "各团队与地方政府一同工作，把科研成果直接转化为管理措施，是大气污染精细化管理的新机制。",
            ]
        },
        "results": {ZH: "<p>为每个城市提出了有针对性的“一市一策”综合解决方案。</p>"},
        "place": {ZH: "京津冀大气污染传输通道"},
        "status": "completed",
        "start": D(2017, 9, 14),
        "end": D(2019, 6, 30),
        "countries": ["CN"],
        "themes": ["air", "monitoring"],
        "orgs": [("caep", "implementing"), ("mee", "funding")],
        "trainings": [],
    },
    {
        "external_id": "demo-project-south-south-10-100-1000",
        "title": {
            ZH: "应对气候变化南南合作“十百千”项目",
            EN: 'South-South climate cooperation: the "10-100-1000" initiative',
            RU: "Сотрудничество Юг–Юг по климату: инициатива «10-100-1000»",
        },
        "summary": {
            ZH: "在发展中国家建设10个低碳示范区，开展100个减缓和适应气候变化项目，提供1000个培训名额。",
            EN: "10 low-carbon demonstration zones, 100 mitigation and adaptation projects and 1,000 "
            "training places in developing countries.",
            RU: "10 низкоуглеродных демонстрационных зон, 100 проектов по смягчению последствий изменения "
            "климата и адаптации и 1000 учебных мест в развивающихся странах.",
        },
        "body": {
            ZH: [
                "中国通过联合国捐资600万美元支持南南合作，并已为发展中国家培训2000多名官员和专家。",
            ],
            EN: [
                "China donated USD 6 million through the United Nations to South-South cooperation and "
                "has trained more than 2,000 officials and experts from developing countries.",
            ],
            RU: [
                "Китай передал через ООН 6 млн долларов США на сотрудничество Юг–Юг и обучил более "
                "2000 должностных лиц и экспертов из развивающихся стран.",
            ],
        },
        "results": {
            ZH: "<p>已培训2000多名发展中国家官员和专家。</p>",
            EN: "<p>More than 2,000 officials and experts from developing countries trained.</p>",
            RU: "<p>Обучено более 2000 должностных лиц и экспертов из развивающихся стран.</p>",
        },
        "place": {ZH: "多个发展中国家", EN: "Several developing countries", RU: "Ряд развивающихся стран"},
        "status": "ongoing",
        "start": D(2016, 1, 1),
        "end": None,
        "budget": ("6000000", "USD"),
        "countries": ["LA", "KH", "MM", "NP", "PK", "LK"],
        "themes": ["climate", "energy", "capacity-building"],
        "orgs": [("nccs", "implementing"), ("undp", "partner"), ("mee", "funding")],
        "trainings": ["demo-training-south-south-climate-2017"],
    },
    {
        "external_id": "demo-project-russia-solid-waste",
        # Russian only: shows the fallback to Russian for Chinese and English readers.
        "title": {RU: "Сотрудничество с Россией в обращении с твёрдыми коммунальными отходами"},
        "summary": {
            RU: "Обмен опытом по раздельному сбору, переработке и безопасному размещению твёрдых отходов — "
            "одной из задач, названных в послании Президента России 2018 года наряду с чистым воздухом "
            "и питьевой водой."
        },
        "body": {
            RU: [
                "Российская сторона заинтересована в технологиях сортировки и переработки отходов и в "
                "опыте управления полигонами; китайская сторона предлагает пилотные проекты и обучение.",
            ]
        },
        "results": {},
        "place": {RU: "Москва"},
        "coords": ("55.755800", "37.617300"),
        "status": "planned",
        "start": D(2019, 3, 1),
        "end": None,
        "countries": ["RU", "CN"],
        "themes": ["waste"],
        "orgs": [("ru-ministry", "partner"), ("csec", "implementing")],
        "trainings": ["demo-training-solid-waste-2019"],
    },
    {
        "external_id": "demo-project-kazakhstan-air-green-economy",
        "title": {
            ZH: "哈萨克斯坦大气污染防治与绿色经济转型合作",
            EN: "Kazakhstan: air pollution control and the transition to a green economy",
            RU: "Казахстан: борьба с загрязнением воздуха и переход к зелёной экономике",
        },
        "summary": {
            ZH: "结合哈萨克斯坦到2050年向绿色经济转型的目标，在阿拉木图开展大气污染防治经验交流与示范。",
            EN: "Exchanges and a demonstration on urban air pollution control in Almaty, in support of "
            "Kazakhstan's transition to a green economy by 2050.",
            RU: "Обмен опытом и демонстрационный проект по борьбе с загрязнением воздуха в Алматы "
            "в поддержку перехода Казахстана к зелёной экономике к 2050 году.",
        },
        "body": {
            ZH: ["合作内容包括排放清单编制、监测网络优化和冬季供暖污染控制。"],
            EN: ["Work covers emission inventories, the monitoring network and winter heating emissions."],
            RU: ["Работа охватывает кадастры выбросов, сеть мониторинга и выбросы зимнего отопления."],
        },
        "results": {
            EN: "<p>Joint emission inventory method agreed for Almaty.</p>",
            RU: "<p>Согласована совместная методика кадастра выбросов для Алматы.</p>",
        },
        "place": {ZH: "阿拉木图", EN: "Almaty", RU: "Алматы"},
        "coords": ("43.238900", "76.889700"),
        "status": "ongoing",
        "start": D(2018, 9, 1),
        "end": D(2021, 12, 31),
        "budget": ("850000", "USD"),
        "countries": ["KZ", "CN"],
        "themes": ["air", "energy", "policy-dialogue"],
        "orgs": [("kz-ministry", "implementing"), ("csec", "partner"), ("caep", "partner")],
        "trainings": ["demo-training-urban-air-quality-2018"],
    },
    {
        "external_id": "demo-project-kyrgyzstan-household-waste",
        "title": {
            ZH: "吉尔吉斯斯坦生活垃圾管理示范",
            EN: "Kyrgyzstan: household waste management demonstration",
            RU: "Кыргызстан: демонстрационный проект по обращению с бытовыми отходами",
        },
        "summary": {
            ZH: "在比什凯克开展生活垃圾分类收集与资源化利用示范，并培训市政管理人员。",
            EN: "Separate collection and recycling of household waste demonstrated in Bishkek, with "
            "training for municipal staff.",
            RU: "Демонстрация раздельного сбора и переработки бытовых отходов в Бишкеке и обучение "
            "муниципальных служащих.",
        },
        "body": {
            ZH: ["项目回应吉方在生活垃圾处理方面的优先需求。"],
            EN: ["The project answers Kyrgyzstan's stated priority: household waste."],
            RU: ["Проект отвечает приоритету, названному Кыргызстаном: бытовые отходы."],
        },
        "results": {},
        "place": {ZH: "比什凯克", EN: "Bishkek", RU: "Бишкек"},
        "coords": ("42.874600", "74.569800"),
        "status": "planned",
        "start": D(2019, 5, 1),
        "end": D(2022, 4, 30),
        "budget": ("420000", "USD"),
        "countries": ["KG"],
        "themes": ["waste", "capacity-building"],
        "orgs": [("kg-agency", "implementing"), ("csec", "partner")],
        "trainings": ["demo-training-solid-waste-2019"],
    },
    {
        "external_id": "demo-project-mongolia-renewable-energy",
        "title": {
            ZH: "蒙古国可再生能源合作",
            EN: "Mongolia: renewable energy cooperation",
            RU: "Монголия: сотрудничество в области возобновляемой энергетики",
        },
        "summary": {
            ZH: "围绕蒙古国对可再生能源的关注，开展太阳能和风能规划交流及小型离网示范。",
            EN: "Planning exchanges on solar and wind power and small off-grid demonstrations, answering "
            "Mongolia's interest in renewable energy.",
            RU: "Обмен опытом планирования солнечной и ветровой энергетики и небольшие автономные "
            "демонстрационные установки — в ответ на интерес Монголии к возобновляемой энергии.",
        },
        "body": {
            ZH: ["示范点选在牧区，为游牧家庭提供清洁电力。"],
            EN: ["Demonstration sites are in herding areas, bringing clean power to nomadic households."],
            RU: ["Демонстрационные площадки — в скотоводческих районах, для кочевых семей."],
        },
        "results": {},
        "place": {ZH: "乌兰巴托", EN: "Ulaanbaatar", RU: "Улан-Батор"},
        "coords": ("47.886400", "106.905700"),
        "status": "planned",
        "start": D(2020, 4, 1),
        "end": None,
        "countries": ["MN", "CN"],
        "themes": ["energy", "climate"],
        "orgs": [("mn-ministry", "implementing"), ("csec", "partner")],
        "trainings": ["demo-training-renewable-energy-2020"],
    },
    {
        "external_id": "demo-project-belarus-joint-research",
        "title": {
            ZH: "中白环境监测联合研究",
            EN: "China-Belarus joint research on environmental monitoring",
            RU: "Совместные исследования Китая и Беларуси в области экологического мониторинга",
        },
        "summary": {
            ZH: "白俄罗斯希望与各方广泛开展合作；双方首先就水环境监测方法和数据共享开展联合研究。",
            EN: "Belarus seeks broad cooperation; the first step is joint research on water monitoring "
            "methods and data sharing.",
            RU: "Беларусь заинтересована в широком сотрудничестве; первый шаг — совместные исследования "
            "методов мониторинга вод и обмена данными.",
        },
        "body": {
            ZH: ["研究成果将通过上合组织环境信息共享平台发布。"],
            EN: ["Results are published on the SCO environmental information sharing platform."],
            RU: ["Результаты публикуются на платформе обмена экологической информацией ШОС."],
        },
        "results": {},
        "place": {ZH: "明斯克", EN: "Minsk", RU: "Минск"},
        "coords": ("53.900600", "27.559000"),
        "status": "ongoing",
        "start": D(2018, 10, 1),
        "end": D(2021, 9, 30),
        "countries": ["BY", "CN"],
        "themes": ["monitoring", "water"],
        "orgs": [("by-ministry", "implementing"), ("csec", "partner")],
        "trainings": [],
    },
    {
        "external_id": "demo-project-india-pakistan-dialogue",
        "title": {
            ZH: "与新成员国印度、巴基斯坦的环境政策对话",
            EN: "Environmental policy dialogue with the new members India and Pakistan",
            RU: "Диалог по природоохранной политике с новыми членами — Индией и Пакистаном",
        },
        "summary": {
            ZH: "印度和巴基斯坦于2017年加入上合组织；通过专家磋"
            "商了解两国的环境合作需求，并将其纳入信息共享平台。",
            EN: "India and Pakistan joined the SCO in 2017; expert consultations identify their "
            "environmental priorities and bring them onto the information sharing platform.",
            RU: "Индия и Пакистан вступили в ШОС в 2017 году; экспертные консультации выявляют их "
            "экологические приоритеты и подключают их к платформе обмена информацией.",
        },
        "body": {
            ZH: ["对话形式包括专家磋商、研讨会和双边交流。"],
            EN: ["The dialogue takes the form of expert consultations, seminars and bilateral exchanges."],
            RU: ["Диалог ведётся в форме экспертных консультаций, семинаров и двусторонних обменов."],
        },
        "results": {},
        "place": {ZH: "新德里、伊斯兰堡", EN: "New Delhi and Islamabad", RU: "Нью-Дели и Исламабад"},
        "status": "ongoing",
        "start": D(2018, 6, 10),
        "end": None,
        "countries": ["IN", "PK", "CN"],
        "themes": ["policy-dialogue"],
        "orgs": [("csec", "implementing"), ("sco-secretariat", "partner")],
        "trainings": ["demo-training-sco-seminar-qingdao-2018"],
    },
    {
        "external_id": "demo-project-bri-big-data-platform",
        "title": {
            ZH: "“一带一路”生态环保大数据服务平台",
            EN: "Belt and Road eco-environmental big-data service platform",
            RU: "Платформа больших данных об окружающей среде «Пояса и пути»",
        },
        "summary": {
            ZH: "2017年启动，与“一带一路”绿色发展国际联盟一道，为共建国家提供环境数据和决策支持。",
            EN: "Launched in 2017 alongside the international green development coalition, it offers "
            "environmental data and decision support to Belt and Road partner countries.",
            RU: "Запущена в 2017 году вместе с Международной коалицией зелёного развития; предоставляет "
            "странам-партнёрам экологические данные и поддержку принятия решений.",
        },
        "body": {
            ZH: ["平台与上合组织环境信息共享平台互联互通。"],
            EN: ["The platform is linked with the SCO environmental information sharing platform."],
            # Russian body deliberately missing: shown in English, marked.
        },
        "results": {},
        "place": {ZH: "北京", EN: "Beijing", RU: "Пекин"},
        "status": "ongoing",
        "start": D(2017, 5, 14),
        "end": None,
        "countries": ["CN", "KZ", "PK", "MN"],
        "themes": ["monitoring", "policy-dialogue"],
        "orgs": [("mee", "implementing"), ("csec", "partner")],
        "trainings": [],
    },
]

# --- Training programmes ---------------------------------------------------------------


def session(
    start, end, city, country, *, venue=None, online=False, langs="zh-hans, ru", capacity=None, deadline=None
):
    return {
        "start": start,
        "end": end,
        "city": city,
        "venue": venue or {},
        "country": country,
        "online": online,
        "languages": langs,
        "capacity": capacity,
        "deadline": deadline,
    }


BEIJING = {ZH: "北京", EN: "Beijing", RU: "Пекин"}
CSEC_VENUE = {
    ZH: "中国—上海合作组织环境保护合作中心",
    EN: "China-SCO Environmental Protection Cooperation Center",
    RU: "Китайско-шосовский центр сотрудничества в области охраны окружающей среды",
}
OFFICIALS = {
    ZH: "上合组织成员国环境主管部门官员和技术人员。",
    EN: "Officials and technical staff of the environment ministries and agencies of SCO member states.",
    RU: "Должностные лица и технические специалисты природоохранных ведомств государств-членов ШОС.",
}
NOMINATED = {
    ZH: "由本国环境主管部门推荐；能使用中文、俄文或英文工作。",
    EN: "Nominated by their national environment authority; working knowledge of Chinese, Russian or "
    "English.",
    RU: "Кандидаты, выдвинутые национальным природоохранным ведомством; рабочее владение китайским, "
    "русским или английским языком.",
}

TRAININGS = [
    {
        "external_id": "demo-training-expert-seminar-2016",
        "series": "green-silk-road-envoys",
        "title": {
            ZH: "绿色丝路使者计划专家研讨会",
            EN: "Expert seminar on the Green Silk Road Envoys Programme",
            RU: "Экспертный семинар по программе «Зелёный Шёлковый путь: посланники»",
        },
        "summary": {
            ZH: "2016年5月召开，讨论绿色丝路使者计划2016—2020年框架文件。",
            EN: "Held in May 2016 to discuss the programme's framework document for 2016-2020.",
            RU: "Проведён в мае 2016 года для обсуждения рамочного документа программы на 2016–2020 годы.",
        },
        "body": {
            ZH: ["来自成员国的专家就培训方向、合作机制和评估方法提出建议。"],
            EN: [
                "Experts from the member states advised on course topics, "
                "cooperation mechanisms and evaluation."
            ],
            RU: [
                "Эксперты государств-членов высказали предложения по темам курсов, механизмам "
                "сотрудничества и оценке."
            ],
        },
        "audience": {
            ZH: "环境政策和国际合作领域的专家。",
            EN: "Experts in environmental policy and international cooperation.",
            RU: "Эксперты в области природоохранной политики и международного сотрудничества.",
        },
        "eligibility": {ZH: "仅限受邀专家。", EN: "By invitation.", RU: "По приглашению."},
        "status": "completed",
        "sessions": [
            session(
                D(2016, 5, 24),
                D(2016, 5, 25),
                BEIJING,
                "CN",
                venue=CSEC_VENUE,
                langs="zh-hans, ru, en",
                capacity=40,
            )
        ],
        "participants": {"CN": 12, "RU": 4, "KZ": 4, "KG": 3, "TJ": 3, "UZ": 3},
        "organisers": ["csec", "mee"],
        "themes": ["capacity-building", "policy-dialogue"],
        "material": "demo-doc-gsre-framework",
    },
    {
        "external_id": "demo-training-informatisation-2016",
        "series": "green-silk-road-envoys",
        "title": {
            ZH: "上合组织国家环境信息化培训班",
            EN: "Training course on environmental informatisation for SCO countries",
            RU: "Учебный курс по экологической информатизации для стран ШОС",
        },
        "summary": {
            ZH: "介绍环境信息系统、数据共享和上合组织环境信息共享平台的使用。",
            EN: "Environmental information systems, data sharing and how to use the SCO environmental "
            "information sharing platform.",
            RU: "Экологические информационные системы, обмен данными и работа с платформой обмена "
            "экологической информацией ШОС.",
        },
        "body": {
            ZH: ["课程包括讲座、案例研究和对中国环境监测中心的实地考察。"],
            EN: ["Lectures, case studies and a visit to a Chinese environmental monitoring centre."],
            RU: [
                "Лекции, разбор практических примеров и посещение "
                "китайского центра экологического мониторинга."
            ],
        },
        "audience": OFFICIALS,
        "eligibility": NOMINATED,
        "status": "completed",
        "sessions": [session(D(2016, 9, 12), D(2016, 9, 25), BEIJING, "CN", venue=CSEC_VENUE, capacity=30)],
        "participants": {"RU": 5, "KZ": 7, "KG": 6, "TJ": 5, "UZ": 4},
        "organisers": ["csec"],
        "themes": ["monitoring", "capacity-building"],
    },
    {
        "external_id": "demo-training-pollution-prevention-2017",
        "series": "green-silk-road-envoys",
        "title": {
            ZH: "污染防治技术培训班",
            EN: "Training course on pollution prevention technology",
            RU: "Учебный курс по технологиям предотвращения загрязнения",
        },
        "summary": {
            ZH: "介绍大气、水和固体废物污染防治的适用技术与管理经验。",
            EN: "Practical technologies and management experience for preventing air, water and solid "
            "waste pollution.",
            RU: "Практические технологии и опыт управления в предотвращении загрязнения воздуха, воды "
            "и твёрдыми отходами.",
        },
        "body": {
            ZH: ["学员参观了城市污水处理厂和工业园区的污染治理设施。"],
            EN: [
                "Participants visited a municipal wastewater plant and "
                "pollution control facilities in an industrial park."
            ],
            RU: [
                "Участники посетили городские очистные сооружения и "
                "природоохранные объекты промышленного парка."
            ],
        },
        "audience": OFFICIALS,
        "eligibility": NOMINATED,
        "status": "completed",
        "sessions": [
            session(D(2017, 6, 5), D(2017, 6, 16), BEIJING, "CN", venue=CSEC_VENUE, capacity=30),
            session(
                D(2017, 6, 19), D(2017, 6, 21), {ZH: "青岛", EN: "Qingdao", RU: "Циндао"}, "CN", capacity=30
            ),
        ],
        "participants": {"KZ": 6, "KG": 5, "TJ": 4, "UZ": 5, "RU": 3, "MN": 2},
        "organisers": ["csec"],
        "themes": ["air", "water", "waste", "capacity-building"],
    },
    {
        "external_id": "demo-training-south-south-climate-2017",
        "series": "south-south-climate",
        "title": {
            ZH: "发展中国家低碳发展与适应气候变化研修班",
            EN: "Seminar on low-carbon development and climate adaptation for developing countries",
            RU: "Семинар по низкоуглеродному развитию и адаптации к "
            "изменению климата для развивающихся стран",
        },
        "summary": {
            ZH: "“十百千”倡议下的培训：低碳示范区规划、减缓与适应项目设计。",
            EN: 'Training under the "10-100-1000" initiative: planning low-carbon demonstration zones and '
            "designing mitigation and adaptation projects.",
            RU: "Обучение в рамках инициативы «10-100-1000»: планирование низкоуглеродных зон и подготовка "
            "проектов по смягчению последствий и адаптации.",
        },
        "body": {
            EN: ["Sessions combine lectures, site visits to low-carbon pilot cities and project clinics."],
            ZH: ["课程包括讲座、低碳试点城市考察和项目设计辅导。"],
            RU: ["Занятия включают лекции, посещение низкоуглеродных пилотных городов и разбор проектов."],
        },
        "audience": {
            ZH: "发展中国家负责气候变化事务的官员。",
            EN: "Officials responsible for climate change in developing countries.",
            RU: "Должностные лица развивающихся стран, отвечающие за вопросы изменения климата.",
        },
        "eligibility": NOMINATED,
        "status": "completed",
        "sessions": [
            session(D(2017, 10, 9), D(2017, 10, 29), BEIJING, "CN", langs="en, zh-hans", capacity=45),
        ],
        "participants": {"LA": 8, "KH": 9, "MM": 7, "NP": 6, "PK": 8, "LK": 5},
        "organisers": ["nccs", "undp"],
        "themes": ["climate", "energy", "capacity-building"],
    },
    {
        "external_id": "demo-training-urban-air-quality-2018",
        "series": "green-silk-road-envoys",
        "title": {
            ZH: "城市空气质量管理研修班：源解析与排放清单",
            EN: "Urban air quality management: source apportionment and emission inventories",
            RU: "Управление качеством городского воздуха: анализ источников и кадастры выбросов",
        },
        "summary": {
            ZH: "以聊城“一市一策”为案例，介绍源解析、高分辨率排放清单和重污染天气应对。",
            EN: "Source apportionment, high-resolution emission inventories and heavy-pollution response, "
            'with Liaocheng\'s "one city, one policy" as the case study.',
            RU: "Анализ источников, детальные кадастры выбросов и реагирование на эпизоды сильного "
            "загрязнения на примере Ляочэна.",
        },
        "body": {
            ZH: ["线下课程在北京举行，随后开设在线课程，供无法来华的学员参加。"],
            EN: ["An in-person course in Beijing followed by an online session for those unable to travel."],
            RU: ["Очный курс в Пекине и затем онлайн-сессия для тех, кто не смог приехать."],
        },
        "audience": OFFICIALS,
        "eligibility": NOMINATED,
        "status": "completed",
        "sessions": [
            session(
                D(2018, 9, 10),
                D(2018, 9, 21),
                BEIJING,
                "CN",
                venue=CSEC_VENUE,
                langs="zh-hans, ru, en",
                capacity=35,
            ),
            session(D(2018, 11, 6), D(2018, 11, 8), {}, None, online=True, langs="ru, en, kk", capacity=100),
        ],
        "participants": {"KZ": 9, "UZ": 6, "MN": 4, "IN": 3, "PK": 4, "KG": 5},
        "organisers": ["csec", "caep"],
        "themes": ["air", "monitoring", "capacity-building"],
    },
    {
        "external_id": "demo-training-sco-seminar-qingdao-2018",
        "series": None,
        "title": {
            ZH: "上合组织青岛峰会环境合作研讨会",
            EN: "SCO environmental cooperation seminar at the Qingdao summit",
            RU: "Семинар по экологическому сотрудничеству ШОС на саммите в Циндао",
        },
        "summary": {
            ZH: "配合2018年6月9—10日上合组织青岛峰会，交流共建绿色丝绸之路的经验。",
            EN: "Held alongside the SCO summit in Qingdao on 9-10 June 2018 to share experience in "
            "building a green Silk Road together.",
            RU: "Проведён в связи с саммитом ШОС в Циндао 9–10 июня 2018 года для обмена опытом "
            "строительства зелёного Шёлкового пути.",
        },
        "body": {
            ZH: ["印度和巴基斯坦代表首次以成员国身份参加。"],
            EN: ["Delegates from India and Pakistan took part for the first time as member states."],
            RU: ["Представители Индии и Пакистана впервые участвовали как государства-члены."],
        },
        "audience": {
            ZH: "成员国环境部门和上合组织秘书处代表。",
            EN: "Representatives of member states' environment authorities and of the SCO Secretariat.",
            RU: "Представители природоохранных ведомств государств-членов и Секретариата ШОС.",
        },
        "eligibility": {ZH: "仅限受邀代表。", EN: "By invitation.", RU: "По приглашению."},
        "status": "completed",
        "sessions": [
            session(
                D(2018, 6, 7),
                D(2018, 6, 8),
                {ZH: "青岛", EN: "Qingdao", RU: "Циндао"},
                "CN",
                langs="zh-hans, ru, en",
                capacity=80,
            ),
        ],
        "participants": {"CN": 20, "RU": 6, "KZ": 5, "KG": 4, "TJ": 4, "UZ": 4, "IN": 5, "PK": 5},
        "organisers": ["csec", "mee", "sco-secretariat"],
        "themes": ["policy-dialogue"],
    },
    {
        "external_id": "demo-training-solid-waste-2019",
        "series": "green-silk-road-envoys",
        # English missing: Chinese and Russian only.
        "title": {
            ZH: "固体废物管理与资源化利用培训班",
            RU: "Учебный курс по обращению с твёрдыми отходами и их переработке",
        },
        "summary": {
            ZH: "针对俄罗斯和吉尔吉斯斯坦关注的固体废物和生活垃圾问题，介绍分类、回收和安全处置。",
            RU: "Сортировка, переработка и безопасное размещение отходов — по темам, важным для России "
            "и Кыргызстана.",
        },
        "body": {
            ZH: ["学员考察了垃圾分类示范社区和焚烧发电厂。"],
            RU: [
                "Участники посетили показательный квартал с раздельным "
                "сбором и мусоросжигательную электростанцию."
            ],
        },
        "audience": {
            ZH: "市政和环境部门负责固体废物管理的人员。",
            RU: "Специалисты муниципальных и природоохранных органов, отвечающие за обращение с отходами.",
        },
        "eligibility": NOMINATED,
        "status": "completed",
        "sessions": [
            session(
                D(2019, 9, 2),
                D(2019, 9, 13),
                {ZH: "深圳", EN: "Shenzhen", RU: "Шэньчжэнь"},
                "CN",
                langs="zh-hans, ru",
                capacity=25,
            ),
        ],
        "participants": {"RU": 10, "KG": 9, "KZ": 3},
        "organisers": ["csec"],
        "themes": ["waste", "capacity-building"],
    },
    {
        "external_id": "demo-training-monitoring-institutions",
        "series": None,
        # Chinese only.
        "title": {ZH: "环境监测机构监管经验交流会"},
        "summary": {
            ZH: "介绍《关于加强生态环境监测机构监督管理工作的通知》：“三个全覆盖”、“双随机”检查和信息共享。"
        },
        "body": {ZH: ["交流会面向上合组织国家监测主管部门，介绍资质管理、责任追溯和12369举报热线等做法。"]},
        "audience": {ZH: "上合组织国家环境监测主管部门人员。"},
        "eligibility": {},
        "status": "completed",
        "sessions": [session(D(2018, 12, 4), D(2018, 12, 5), BEIJING, "CN", langs="zh-hans", capacity=40)],
        "participants": {"CN": 15, "KZ": 3, "UZ": 2},
        "organisers": ["mee"],
        "themes": ["monitoring", "policy-dialogue"],
    },
    {
        "external_id": "demo-training-renewable-energy-2020",
        "series": "south-south-climate",
        "title": {
            ZH: "可再生能源规划研讨会（乌兰巴托）",
            EN: "Workshop on renewable energy planning (Ulaanbaatar)",
            RU: "Практикум по планированию возобновляемой энергетики (Улан-Батор)",
        },
        "summary": {
            ZH: "围绕太阳能、风能和离网供电规划，与蒙古国同行交流经验。",
            EN: "Planning solar, wind and off-grid power with Mongolian colleagues.",
            RU: "Планирование солнечной, ветровой и автономной энергетики вместе с монгольскими коллегами.",
        },
        "body": {
            ZH: ["研讨会由线下会议和线上跟进组成。"],
            EN: ["An in-person workshop with online follow-up."],
            RU: ["Очный практикум с последующими онлайн-встречами."],
        },
        "audience": {
            ZH: "能源和环境规划人员。",
            EN: "Energy and environmental planners.",
            RU: "Специалисты по энергетическому и экологическому планированию.",
        },
        "eligibility": NOMINATED,
        "status": "completed",
        "sessions": [
            session(
                D(2020, 9, 14),
                D(2020, 9, 16),
                {ZH: "乌兰巴托", EN: "Ulaanbaatar", RU: "Улан-Батор"},
                "MN",
                langs="mn, ru, zh-hans",
                capacity=30,
            ),
            session(D(2020, 11, 10), D(2020, 11, 10), {}, None, online=True, langs="ru, en", capacity=60),
        ],
        "participants": {"MN": 18, "CN": 6, "RU": 3},
        "organisers": ["csec", "mn-ministry"],
        "themes": ["energy", "climate"],
    },
    {
        "external_id": "demo-training-green-belt-road-2027",
        "series": "green-silk-road-envoys",
        "title": {
            ZH: "2027年绿色丝路使者计划：环境数据与信息共享",
            EN: "Green Silk Road Envoys 2027: environmental data and information sharing",
            RU: "«Зелёный Шёлковый путь: посланники» 2027: экологические данные и обмен информацией",
        },
        "summary": {
            ZH: "新一期培训正在接受报名：环境数据标准、开放数据和平台互联。",
            EN: "Applications are open for the next course: environmental data standards, open data and "
            "linking national platforms.",
            RU: "Открыт приём заявок на следующий курс: стандарты экологических данных, открытые данные "
            "и связь национальных платформ.",
        },
        "body": {
            ZH: ["课程分为在线预备课程和北京集中培训两部分。"],
            EN: ["An online preparatory module is followed by two weeks in Beijing."],
            RU: ["Онлайн-модуль для подготовки, затем две недели занятий в Пекине."],
        },
        "audience": OFFICIALS,
        "eligibility": NOMINATED,
        "status": "open",
        "sessions": [
            session(
                D(2027, 4, 12),
                D(2027, 4, 16),
                {},
                None,
                online=True,
                langs="ru, en, zh-hans",
                capacity=60,
                deadline=D(2027, 3, 1),
            ),
            session(
                D(2027, 5, 10),
                D(2027, 5, 21),
                BEIJING,
                "CN",
                venue=CSEC_VENUE,
                langs="zh-hans, ru, en",
                capacity=30,
                deadline=D(2027, 3, 1),
            ),
        ],
        "participants": {},
        "organisers": ["csec", "mee"],
        "themes": ["monitoring", "capacity-building"],
    },
]

DOCUMENTS = {
    "demo-doc-platform": {
        "title": "SCO environmental information sharing platform: overview (demo)",
        "filename": "sco-platform-overview.txt",
        "language": "mul",
        "text": "上海合作组织环境信息共享平台 / SCO environmental information sharing platform / "
        "Платформа обмена экологической информацией ШОС\n\nPortal demo document.\n",
    },
    "demo-doc-gsre-framework": {
        "title": "Green Silk Road Envoys Programme framework 2016-2020: summary (demo)",
        "filename": "gsre-framework-summary-ru.txt",
        "language": "ru",
        "text": "Программа «Зелёный Шёлковый путь: посланники», рамочный документ на 2016–2020 годы: "
        "краткое изложение.\n\nДемонстрационный документ портала.\n",
    },
}


# --- Loader ---------------------------------------------------------------------------


def _translated(name, values):
    return {languages.localized_field(name, code): values.get(code, "") for code in languages.LANGUAGE_CODES}


def _first(values):
    return next((values[c] for c in (EN, ZH, RU) if values.get(c)), "")


def _slug_source(text):
    # One syllable per CJK character, so 上合 -> shang-he rather than shanghe.
    return "".join(f" {anyascii(ch)} " if ord(ch) >= 0x2E80 else ch for ch in text)


def _short(slug, limit=60):
    """Cut a long slug at a word boundary."""
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0]


def _slugs(page, parent, titles):
    """Per-language slugs from each language's title (transliterated), unique among siblings."""
    siblings = parent.get_children().exclude(pk=page.pk) if page.pk else parent.get_children()
    slugs = {}
    for code in languages.LANGUAGE_CODES:
        field = languages.localized_field("slug", code)
        base = _short(ascii_slug(_slug_source(titles.get(code) or titles.get(EN) or _first(titles)), 200))
        taken = set(siblings.values_list(field, flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        slugs[field] = slug
    return slugs


def _body(paragraphs):
    return [("paragraph", RichText(f"<p>{p}</p>")) for p in paragraphs]


def _organisations():
    countries = {c.code: c for c in Country.objects.all()}
    result = {}
    for key, (kind, country, names, acronyms, website) in ORGANISATIONS.items():
        org = Organisation.objects.filter(name_en=names[EN]).first() or Organisation(kind=kind)
        org.name = names[EN]
        for code in languages.LANGUAGE_CODES:
            setattr(org, languages.localized_field("name", code), names.get(code, ""))
            setattr(org, languages.localized_field("acronym", code), acronyms.get(code, ""))
        org.acronym = acronyms.get(EN, "")
        org.country = countries.get(country)
        org.website = website
        org.save()
        result[key] = org
    return result


def _series():
    result = {}
    for slug, data in SERIES.items():
        series = ProgrammeSeries.objects.filter(slug=slug).first() or ProgrammeSeries(slug=slug)
        series.name = data["name"][EN]
        for code in languages.LANGUAGE_CODES:
            setattr(series, languages.localized_field("name", code), data["name"].get(code, ""))
            setattr(series, languages.localized_field("description", code), data["description"].get(code, ""))
        series.save()
        result[slug] = series
    return result


def _documents():
    Document = get_document_model()
    result = {}
    for key, data in DOCUMENTS.items():
        doc = Document.objects.filter(title=data["title"]).first()
        if doc is None:
            doc = Document(title=data["title"])
            doc.file.save(data["filename"], ContentFile(data["text"].encode()), save=False)
            doc.save()
        result[key] = (doc, data["language"])
    return result


def _index(home, model):
    data = INDEXES[model]
    index = model.objects.child_of(home).first()
    if index is None:
        index = model(title=data["title"][EN], slug=data["slug"][EN])
        _set_texts(index, data, ("title", "intro"))
        for code in languages.LANGUAGE_CODES:
            setattr(index, languages.localized_field("slug", code), data["slug"][code])
        home.add_child(instance=index)
    else:
        _set_texts(index, data, ("title", "intro"))
    index.save_revision().publish()
    return index


def _set_texts(page, data, names):
    for name in names:
        for field, value in _translated(name, data.get(name, {})).items():
            setattr(page, field, value)


def _save(parent, model, item, fill):
    """Create or update the page keyed by external_id, then publish it."""
    page = model.objects.filter(external_id=item["external_id"]).first()
    created = page is None
    if created:
        page = model(external_id=item["external_id"])
    titles = item["title"]
    page.title = _first(titles)
    _set_texts(page, {"title": titles, "summary": item["summary"]}, ("title", "summary"))
    for code in languages.LANGUAGE_CODES:
        setattr(page, languages.localized_field("body", code), _body(item["body"].get(code, [])))
    for field, value in _slugs(page, parent, titles).items():
        setattr(page, field, value)
    page.slug = getattr(page, languages.localized_field("slug", languages.DEFAULT_LANGUAGE))
    page.countries = list(Country.objects.filter(code__in=item.get("countries", ())))
    page.themes = list(Theme.objects.filter(slug__in=item.get("themes", ())))
    fill(page)
    if created:
        parent.add_child(instance=page)
    page.save_revision().publish()
    return created


def _policies_for(page):
    """Live policy documents sharing a theme and a country with the page (if the policies app has them)."""
    try:
        policy_model = apps.get_model("policies", "PolicyDocumentPage")
    except LookupError:
        return []
    themes = [t.pk for t in page.themes.all()]
    countries = [c.pk for c in page.countries.all()]
    return list(
        policy_model.objects.live()
        .filter(themes__in=themes, countries__in=countries)
        .distinct()
        .order_by("pk")[:2]
    )


def load(home, stdout):
    orgs = _organisations()
    series = _series()
    documents = _documents()
    project_index = _index(home, ProjectIndexPage)
    training_index = _index(home, TrainingIndexPage)
    countries = {c.code: c for c in Country.objects.all()}
    counts = {"created": 0, "updated": 0}

    def count(created):
        counts["created" if created else "updated"] += 1

    # Trainings first: projects link to them.
    for item in TRAININGS:

        def fill_training(page, item=item):
            page.series = series.get(item["series"]) if item["series"] else None
            page.status = item["status"]
            _set_texts(
                page,
                {"target_audience": item["audience"], "eligibility": item["eligibility"]},
                ("target_audience", "eligibility"),
            )
            page.organisers = [orgs[k] for k in item["organisers"]]
            page.sessions = [
                TrainingSession(
                    start_date=s["start"],
                    end_date=s["end"],
                    country=countries.get(s["country"]),
                    online=s["online"],
                    languages=s["languages"],
                    capacity=s["capacity"],
                    application_deadline=s["deadline"],
                    **_translated("city", s["city"]),
                    **_translated("venue", s["venue"]),
                )
                for s in item["sessions"]
            ]
            page.participants = [
                TrainingParticipants(country=countries[code], count=n)
                for code, n in item["participants"].items()
            ]
            page.materials = (
                [
                    TrainingMaterial(
                        document=documents[item["material"]][0], language=documents[item["material"]][1]
                    )
                ]
                if item.get("material")
                else []
            )

        item = {**item, "countries": item.get("countries") or list(item["participants"]) or ["CN"]}
        count(_save(training_index, TrainingProgrammePage, item, fill_training))

    trainings = {p.external_id: p for p in TrainingProgrammePage.objects.all()}
    for item in PROJECTS:

        def fill_project(page, item=item):
            page.status = item["status"]
            page.start_date = item["start"]
            page.end_date = item["end"]
            amount, currency = item.get("budget", (None, ""))
            page.budget_amount = Decimal(amount) if amount else None
            page.budget_currency = currency
            lat, lon = item.get("coords", (None, None))
            page.latitude = Decimal(lat) if lat else None
            page.longitude = Decimal(lon) if lon else None
            _set_texts(
                page, {"place_name": item["place"], "results": item["results"]}, ("place_name", "results")
            )
            page.organisations = [ProjectOrganisation(organisation=orgs[k], role=r) for k, r in item["orgs"]]
            page.related_trainings = [trainings[k] for k in item["trainings"] if k in trainings]
            page.documents = (
                [
                    ProjectDocument(
                        document=documents[item["document"]][0], language=documents[item["document"]][1]
                    )
                ]
                if item.get("document")
                else []
            )

        count(_save(project_index, ProjectPage, item, fill_project))

    # Policy links once policies and projects both exist (the policies demo runs first).
    for page in ProjectPage.objects.filter(external_id__startswith="demo-project-"):
        wanted = [p.pk for p in _policies_for(page)]
        if wanted != [link.policy_id for link in page.policy_links.all()]:
            page.policy_links = [ProjectPolicyLink(policy_id=pk) for pk in wanted]
            page.save_revision().publish()

    stdout.write(
        f"  projects and training: {counts['created']} created, {counts['updated']} updated "
        f"({len(PROJECTS)} projects, {len(TRAININGS)} training programmes)"
    )
