"""Policy documents: rendering in three languages, fallback, metadata, files, relations, filters, rules."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from policies.models import PolicyAttachment, PolicyDocumentPage, PolicyIndexPage, PolicyRelation
from portal import languages
from portal.core.models import Country, Organisation, Theme
from tests.factories import add_page, rolled_back, url

pytestmark = pytest.mark.django_db

TITLES = {
    "zh-hans": "关于加强生态环境监测机构监督管理工作的通知",
    "en": "Notice on strengthening the supervision of environmental monitoring institutions",
    "ru": "Уведомление об усилении надзора за организациями экологического мониторинга",
}


def make_notice(index):
    """The monitoring notice: Chinese original, in force, in China, issued by the ministry."""
    page = add_page(
        index,
        PolicyDocumentPage,
        TITLES,
        "monitoring-notice",
        summaries={"zh-hans": "三个全覆盖。", "en": "Three full coverages.", "ru": "Три полных охвата."},
        document_type="notice",
        document_number="环办监测〔2018〕1号",
        date_issued=datetime.date(2018, 5, 28),
        status="in_force",
        original_language="zh-hans",
        jurisdiction=Country.objects.get(code="CN"),
        issuing_organisation=Organisation.objects.get_or_create(
            name_en="Ministry of Ecology and Environment",
            defaults={
                "name": "Ministry of Ecology and Environment",
                "name_zh_hans": "生态环境部",
                "kind": "ministry",
            },
        )[0],
    )
    page.themes.add(Theme.objects.get(slug="monitoring"))
    page.save_revision().publish()
    return page


def policy_list():
    """The policy list ``/policies/`` under the home page, titled in the three languages."""
    from website.models import HomePage

    return add_page(
        HomePage.objects.get(),
        PolicyIndexPage,
        {"zh-hans": "政策文件", "en": "Policy documents", "ru": "Нормативные документы"},
        "policies",
    )


@pytest.fixture(scope="class")
def one_notice(django_db_setup, django_db_blocker):
    """The policy list and :func:`make_notice`'s document (their ids), made for the class's tests,
    rolled back after them."""

    def build():
        index = policy_list()
        return index.pk, make_notice(index).pk

    yield from rolled_back(django_db_blocker, build)


@pytest.fixture
def index(one_notice, db):
    return PolicyIndexPage.objects.get(pk=one_notice[0])


@pytest.fixture
def notice(one_notice, db):
    return PolicyDocumentPage.objects.get(pk=one_notice[1])


class TestNotice:
    """One policy document: its page, list, rules and relations, read from :func:`one_notice`."""

    @pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
    def test_policy_document_renders_in_each_language(self, client, notice, code):
        response = client.get(url(notice, code))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{code}">' in html
        assert f'<h1 lang="{code}">{TITLES[code]}</h1>' in html
        assert "环办监测〔2018〕1号" in html
        # The original language, named in the reader's language (not "Русский" on English pages).
        assert f"<dd>{ {'zh-hans': '中文', 'en': 'Chinese', 'ru': 'Китайский'}[code] }</dd>" in html
        assert 'datetime="2018-05-28"' in html
        assert "<dl>" in html and 'class="metadata"' in html
        assert 'class="fallback-note"' not in html.split("<main")[1].split("issuing-organisation")[0]

    def test_policy_index_renders_in_each_language(self, client, notice, index):
        for code in languages.LANGUAGE_CODES:
            html = client.get(url(index, code)).content.decode()
            assert f'lang="{code}">{TITLES[code]}</a>' in html
            assert 'class="filters"' in html

    def test_missing_language_falls_back_visibly(self, client, index):
        page = add_page(
            index,
            PolicyDocumentPage,
            {"zh-hans": "关于开展试点工作的通知"},
            "pilot-notice",
            summaries={"en": "Only an English summary."},
            document_type="notice",
            date_issued=datetime.date(2018, 3, 1),
        )
        html = client.get(url(page, "ru")).content.decode()
        assert '<h1 lang="zh-hans">关于开展试点工作的通知</h1>' in html
        assert '<div class="summary" lang="en">' in html
        # Said once: the page is shown in Chinese (the notice at the top, in Russian);
        # the summary, in yet another language, has its own note.
        assert "она показана на китайском" in html
        assert '<small class="fallback-note" lang="ru">показано на английском</small>' in html
        assert html.count('class="fallback-note"') == 1
        # The switcher says the page is not in Russian or English.
        assert 'class="missing"' in html

    def test_issuing_body_free_text_and_organisation(self, client, notice):
        notice.issuing_body_en = "State Administration for Market Regulation"
        notice.issuing_body_ru = ""
        notice.save_revision().publish()
        html = client.get(url(notice, "ru")).content.decode()
        assert '<span lang="en">State Administration for Market Regulation</span>' in html
        html = client.get(url(notice, "zh-hans")).content.decode()
        assert '<span lang="zh-hans">生态环境部</span>' in html

    def test_jurisdiction_country_is_listed_and_filterable(self, client, notice, index):
        assert list(notice.countries.values_list("code", flat=True)) == ["CN"]
        html = client.get(url(index, "en") + "?country=CN").content.decode()
        assert "1 item" in html

    def test_date_in_force_before_issue_is_rejected(self, notice):
        notice.date_in_force = datetime.date(2018, 1, 1)
        with pytest.raises(ValidationError) as exc:
            notice.full_clean()
        assert "date_in_force" in exc.value.message_dict
        # The importer checks the same rule on an unsaved instance.
        with pytest.raises(ValidationError):
            PolicyDocumentPage(
                date_issued=datetime.date(2018, 5, 1), date_in_force=datetime.date(2018, 4, 30)
            ).validate_values()
        PolicyDocumentPage(
            date_issued=datetime.date(2018, 5, 1), date_in_force=datetime.date(2018, 5, 1)
        ).validate_values()

    def test_multilateral_document_has_no_country_of_jurisdiction(self, notice):
        notice.scope = "multilateral"
        with pytest.raises(ValidationError) as exc:
            notice.full_clean()
        assert "jurisdiction" in exc.value.message_dict

    def test_relations_show_in_both_directions(self, client, index, notice):
        opinion = add_page(
            index,
            PolicyDocumentPage,
            {
                "zh-hans": "关于深化环境监测改革提高环境监测数据质量的意见",
                "en": "Opinion on deepening the reform of environmental monitoring",
            },
            "monitoring-opinion",
            document_type="opinion",
            document_number="厅字〔2017〕35号",
            date_issued=datetime.date(2017, 9, 21),
        )
        notice.relations.add(PolicyRelation(relation_type="implements", target=opinion))
        notice.save_revision().publish()

        html = client.get(url(notice, "en")).content.decode()
        relations = html.split('class="relations"')[1]
        assert "<dt>Implements</dt>" in relations
        assert 'lang="en">Opinion on deepening the reform of environmental monitoring</a>' in relations
        assert "厅字〔2017〕35号" in relations

        html = client.get(url(opinion, "en")).content.decode()
        relations = html.split('class="relations"')[1]
        assert "<dt>Implemented by</dt>" in relations
        assert f'lang="en">{TITLES["en"]}</a>' in relations

        # In Russian the opinion has no title: the link falls back visibly.
        html = client.get(url(notice, "ru")).content.decode()
        relations = html.split('class="relations"')[1]
        assert 'lang="en">Opinion on deepening' in relations and "fallback-note" in relations

    def test_unpublished_documents_are_not_linked(self, client, index, notice):
        draft = add_page(
            index, PolicyDocumentPage, {"en": "Draft amendment"}, "draft-amendment", status="draft"
        )
        draft.relations.add(PolicyRelation(relation_type="amends", target=notice))
        draft.save_revision().publish()
        assert "Amended by" in client.get(url(notice, "en")).content.decode()
        draft.unpublish()
        assert "Amended by" not in client.get(url(notice, "en")).content.decode()

    def test_attachments_show_language_and_size(self, client, notice):
        document = Document(title="notice-zh")
        document.file.save("notice-zh.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2048), save=False)
        document.save()
        attachment = PolicyAttachment(document=document, language="zh-hans", label_en="Official text")
        notice.attachments.add(attachment)
        notice.save_revision().publish()
        html = client.get(url(notice, "en")).content.decode()
        files = html.split('class="attachments"')[1]
        assert 'hreflang="zh-hans"' in files
        assert '<span lang="en">Official text</span>' in files
        assert "(Chinese, PDF" in files  # the file's language, named in the reader's language
        assert "PDF" in files and re.search(r"2[.,]\d\xa0KB", files)
        # No Russian label: the English one is shown, marked as such.
        files = client.get(url(notice, "ru")).content.decode().split('class="attachments"')[1]
        assert '<span lang="en">Official text</span>' in files and "fallback-note" in files

    def test_missing_languages_ignores_unused_optional_fields(self, notice):
        assert "issuing_body" not in notice.missing_languages()
        notice.issuing_body_en = "SAMR"
        assert notice.missing_languages()["issuing_body"] == ["zh-hans", "ru"]


# --- The list: one corpus of eight documents, made once for the tests that only read it ------------


def make_many(index):
    """Eight documents under ``index``: types, statuses, years and countries the filters count."""
    cn, kz, ru = (Country.objects.get(code=c) for c in ("CN", "KZ", "RU"))
    specs = [
        ("law", "in_force", 2018, kz),
        ("law", "amended", 2016, kz),
        ("notice", "in_force", 2018, cn),
        ("notice", "repealed", 2017, cn),
        ("strategy", "in_force", 2013, kz),
        ("plan", "in_force", 2014, cn),
        ("plan", "draft", 2018, ru),
        ("agreement", "in_force", 2016, None),
    ]
    pages = []
    for n, (kind, status, year, country) in enumerate(specs):
        pages.append(
            add_page(
                index,
                PolicyDocumentPage,
                {"en": f"Document {n}"},
                f"document-{n}",
                document_type=kind,
                status=status,
                date_issued=datetime.date(year, 1 + n, 10),
                scope="national" if country else "multilateral",
                jurisdiction=country,
            )
        )
    return pages


@pytest.fixture(scope="class")
def listing(django_db_setup, django_db_blocker):
    """The policy list with :func:`make_many`'s documents, for the class's tests, rolled back after them."""

    def build():
        index = policy_list()
        return index, make_many(index)

    yield from rolled_back(django_db_blocker, build)


def cards(html):
    return re.findall(r'<li class="card policy-card">', html)


class TestPolicyList:
    """Filters, counts and order of the policy list, all read from one :func:`listing`."""

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("", 8),
            ("?document_type=law", 2),
            ("?document_type=notice", 2),
            ("?status=in_force", 5),
            ("?status=draft", 1),
            ("?year=2018", 3),
            ("?country=KZ", 3),
            ("?country=KZ&document_type=law", 2),
            ("?country=KZ&document_type=law&year=2016", 1),
            ("?country=CN&status=repealed", 1),
            ("?document_type=opinion", 8),  # no such documents: the filter is ignored, with a note
        ],
    )
    def test_filters_narrow_the_list(self, client, listing, query, expected):
        index, _documents = listing
        html = client.get(url(index, "en") + query).content.decode()
        assert len(cards(html)) == expected
        assert f"{expected} item" in html

    def test_filter_options_show_counts(self, client, listing):
        index, _documents = listing
        html = client.get(url(index, "en")).content.decode()
        assert '<option value="law">Law (2)</option>' in html
        assert '<option value="2018">2018 (3)</option>' in html
        assert '<option value="KZ">Kazakhstan (3)</option>' in html

    def test_list_is_newest_first_and_paginated(self, client, listing):
        index, _documents = listing
        PolicyIndexPage.page_size = 3
        try:
            html = client.get(url(index, "en")).content.decode()
            titles = re.findall(r'lang="en">(Document \d)</a>', html)
            assert titles == ["Document 6", "Document 2", "Document 0"]
            assert 'rel="next"' in html
            html = client.get(url(index, "en") + "?page=3").content.decode()
            assert len(cards(html)) == 2
        finally:
            PolicyIndexPage.page_size = 12
