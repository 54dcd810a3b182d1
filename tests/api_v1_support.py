"""The corpus of the tests/test_api_v1*.py files (committed once per module: see conftest's ``content``)."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.factories import organisation, publish, titled, tr


def clear_cache():
    """The rate limit counts in the cache: every test starts with a clean count."""
    cache.clear()


def make_content(home):
    """Three projects, a training, a policy and a news item, in one to three languages."""
    from news.models import NewsIndexPage, NewsPage
    from policies.models import PolicyDocumentPage, PolicyIndexPage
    from projects.models import (
        ProjectDocument,
        ProjectIndexPage,
        ProjectOrganisation,
        ProjectPage,
        TrainingIndexPage,
        TrainingProgrammePage,
    )

    projects = publish(
        home, ProjectIndexPage(**titled({"zh-hans": "合作项目", "en": "Projects", "ru": "Проекты"}, "p"))
    )
    trainings = publish(home, TrainingIndexPage(**titled({"en": "Training"}, "t")))
    policies = publish(home, PolicyIndexPage(**titled({"en": "Policies"}, "pol")))
    news = publish(home, NewsIndexPage(**titled({"en": "News"}, "n")))

    ministry = organisation(
        {"en": "Ministry of Ecology", "ru": "Министерство экологии"}, kind="ministry", country="KZ"
    )
    fund = organisation({"en": "Green Fund"}, identifier="XM-DAC-47000")

    air = ProjectPage(
        **titled(
            {"zh-hans": "阿拉木图空气质量", "en": "Almaty air quality", "ru": "Качество воздуха Алматы"},
            "air",
        ),
        **tr("summary", {"zh-hans": "监测网络", "ru": "Сеть мониторинга"}),
        **tr("place_name", {"en": "Almaty", "ru": "Алматы"}),
        external_id="prj-air",
        status="ongoing",
        start_date=datetime.date(2020, 3, 1),
        end_date=datetime.date(2030, 12, 31),
        budget_amount=Decimal("1500000.00"),
        budget_currency="USD",
        latitude=Decimal("43.238949"),
        longitude=Decimal("76.889709"),
    )
    air = publish(projects, air, countries=("KZ", "CN"), themes=("air",))
    ProjectOrganisation.objects.create(page=air, organisation=fund, role="funding")
    ProjectOrganisation.objects.create(page=air, organisation=ministry, role="implementing")
    document = get_document_model().objects.create(
        title="Project brief", file=ContentFile(b"%PDF-1.4 brief", name="brief.pdf")
    )
    ProjectDocument.objects.create(page=air, document=document, language="en")
    air.save_revision().publish()

    water = publish(
        projects,
        ProjectPage(
            **titled({"ru": "Чистая вода Бишкека"}, "water"),
            external_id="prj-water",
            status="completed",
            start_date=datetime.date(2016, 5, 1),
            end_date=datetime.date(2018, 6, 30),
        ),
        countries=("KG",),
        themes=("water",),
    )
    planned = publish(
        projects,
        ProjectPage(**titled({"zh-hans": "塔什干固废"}, "waste"), external_id="prj-waste", status="planned"),
        countries=("UZ",),
    )
    training = publish(
        trainings,
        TrainingProgrammePage(
            **titled({"en": "Green Silk Road Envoys"}, "envoys"),
            external_id="trn-1",
            status="open",
            start_date=datetime.date(2099, 9, 1),
        ),
        countries=("CN",),
    )
    policy = publish(
        policies,
        PolicyDocumentPage(
            **titled({"zh-hans": "大气污染防治法"}, "law"),
            external_id="pol-1",
            document_type="law",
            status="in_force",
            date_issued=datetime.date(2018, 10, 26),
        ),
        countries=("CN",),
        themes=("air",),
    )
    item = publish(
        news,
        NewsPage(
            **titled({"en": "Meeting held", "ru": "Совещание"}, "meeting"),
            external_id="news-1",
            kind="event",
            date=datetime.date(2024, 6, 1),
        ),
    )
    return {
        "air": air.specific if hasattr(air, "specific") else air,
        "water": water,
        "planned": planned,
        "training": training,
        "policy": policy,
        "news": item,
        "ministry": ministry,
        "fund": fund,
    }


def module_corpus(django_db_blocker):
    """Build the content once for a whole test module, inside a transaction rolled back at its end
    (:func:`tests.factories.rolled_back`): each test still runs in its own savepoint."""
    from tests.factories import rolled_back
    from website.models import HomePage

    yield from rolled_back(django_db_blocker, lambda: make_content(HomePage.objects.get()))
