"""The policy and news demo loaders: enough content, fallback cases, idempotent."""

import io

import pytest

import news.demo
import policies.demo
from news.models import NewsPage
from policies.models import PolicyDocumentPage, PolicyRelation
from portal.core.models import Organisation
from tests.test_policies import url

pytestmark = pytest.mark.django_db


def test_demo_loaders_are_idempotent(client, home):
    out = io.StringIO()
    policies.demo.load(home, out)
    news.demo.load(home, out)
    counts = (
        PolicyDocumentPage.objects.count(),
        NewsPage.objects.count(),
        PolicyRelation.objects.count(),
        Organisation.objects.count(),
    )
    assert counts[0] >= 8 and NewsPage.objects.filter(kind="news").count() >= 8
    assert NewsPage.objects.filter(kind="event").exists()
    assert all(p.live for p in PolicyDocumentPage.objects.all())

    out = io.StringIO()
    policies.demo.load(home, out)
    news.demo.load(home, out)
    assert (
        PolicyDocumentPage.objects.count(),
        NewsPage.objects.count(),
        PolicyRelation.objects.count(),
        Organisation.objects.count(),
    ) == counts
    assert "0 created, 0 updated" in out.getvalue()

    # Some items are deliberately in one language only.
    code = PolicyDocumentPage.objects.get(external_id="policy-kz-2021-environmental-code")
    assert code.languages_present() == ["ru"]
    html = client.get(url(code, "en")).content.decode()
    assert '<h1 lang="ru">Экологический кодекс Республики Казахстан</h1>' in html
    # Said once, at the top, naming Russian in the reader's language.
    assert "This page is not translated into your language yet: it is shown in Russian." in html

    notice = PolicyDocumentPage.objects.get(external_id="policy-cn-2018-monitoring-institutions-notice")
    html = client.get(url(notice, "ru")).content.decode()
    assert "Реализуется документом" in html or "Implemented by" in html
    for page in (*PolicyDocumentPage.objects.all(), *NewsPage.objects.all()):
        for lang in ("zh-hans", "en", "ru"):
            assert client.get(url(page, lang)).status_code == 200
