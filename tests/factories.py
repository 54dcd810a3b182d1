"""Building pages and snippets in tests: the helpers every test file uses, defined once.

- :func:`tr` spreads ``{"en": …, "ru": …}`` over a field's language columns;
- :func:`titled` is the title and slug fields of a page titled in some languages;
- :func:`publish` adds a page under its parent, sets its countries and themes, publishes it;
- :func:`add_page` creates and publishes a page titled (and slugged) per language;
- :func:`url` is a page's address in a language;
- :func:`project_list` publishes the projects list ``/p/`` under the home page;
- :func:`make_page` does all three for the search tests (random slug, model by label);
- :func:`organisation` creates an organisation named in some languages;
- :func:`project_form` is the admin's project form data, as a browser posts it;
- :func:`remove_committed` undoes a corpus a module committed (see conftest);
- :func:`rolled_back` keeps what a module's fixture builds for the whole module, then undoes it.
"""

import uuid

from portal import languages
from portal.core.models import Country, Organisation, Theme
from portal.core.slugs import slug_from_title


def tr(name, values):
    """``tr("title", {"ru": "Вода"})`` -> ``{"title_zh_hans": "", "title_en": "", "title_ru": "Вода"}``."""
    return {languages.localized_field(name, code): values.get(code, "") for code in languages.LANGUAGE_CODES}


def titled(titles, slug):
    """Title fields (the untranslated one = the first language that has a title) and the slug."""
    first = next(titles[c] for c in ("en", "zh-hans", "ru") if titles.get(c))
    fields = {"title": first, "slug": slug, **tr("title", titles)}
    for code in languages.LANGUAGE_CODES:
        fields[languages.localized_field("slug", code)] = slug
    return fields


def publish(parent, page, countries=(), themes=()):
    """Add ``page`` under ``parent``, tag it with country codes and theme slugs, publish it."""
    parent.add_child(instance=page)
    if countries or themes:
        page.countries.set(Country.objects.filter(code__in=countries))
        page.themes.set(Theme.objects.filter(slug__in=themes))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_page(parent, model, titles, slug, summaries=None, **fields):
    """Create and publish a ``model`` page titled ``{"en": …, "ru": …}``; its slug per language is
    ``slug`` in English and ``slug-<code>`` in the others (so each language has an address of its own)."""
    page = model(**fields)
    for code, title in titles.items():
        setattr(page, languages.localized_field("title", code), title)
        setattr(page, languages.localized_field("slug", code), f"{slug}-{code}" if code != "en" else slug)
    for code, summary in (summaries or {}).items():
        setattr(page, languages.localized_field("summary", code), summary)
    page.slug = slug
    page.slug_en = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def project_list(home):
    """The published projects list at ``/p/``, titled in the three languages."""
    from projects.models import ProjectIndexPage

    titles = {"zh-hans": "合作项目", "en": "Cooperation projects", "ru": "Проекты сотрудничества"}
    return publish(home, ProjectIndexPage(**titled(titles, "p")))


def url(page, code):
    """The page's address in the language ``code``."""
    from django.utils import translation

    with translation.override(code):
        return page.get_url()


def make_page(parent, model="projects.ProjectPage", title=None, summary=None, publish=True, **fields):
    """A page with ``title={"ru": ...}`` etc., added under ``parent`` and published (unique slug)."""
    from django.apps import apps

    cls = apps.get_model(model)
    title = title or {}
    page = cls(**fields)
    for code, value in title.items():
        setattr(page, languages.localized_field("title", code), value)
    for code, value in (summary or {}).items():
        setattr(page, languages.localized_field("summary", code), value)
    first = next(iter(title.values()))
    if not page.title:  # reads with fallback; writing would add an English title
        page.title = first
    slug = f"{slug_from_title(first, max_length=40)}-{uuid.uuid4().hex[:6]}"
    page.slug = slug
    for code in languages.LANGUAGE_CODES:
        setattr(page, languages.localized_field("slug", code), slug)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def organisation(names, kind="international", country=None, **fields):
    """An organisation named ``{"en": …, "ru": …}`` in those languages only.

    Not ``name=…``: modeltranslation would write it into the active language's column too.
    """
    localized = {languages.localized_field("name", code): value for code, value in names.items()}
    return Organisation.objects.create(
        kind=kind,
        country=Country.objects.get(code=country) if country else None,
        **localized,
        **fields,
    )


def project_form(**overrides):
    """The admin's add/edit form of a project, empty but for ``overrides`` (as the browser posts it)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    data = {
        **tr("title", {}),
        **tr("slug", {}),
        **tr("summary", {}),
        **tr("place_name", {}),
        **tr("seo_title", {}),
        **tr("search_description", {}),
        "status": "planned",
        "start_date": "",
        "end_date": "",
        "budget_amount": "",
        "budget_currency": "",
        "latitude": "",
        "longitude": "",
        "external_id": "",
        "organisations": inline_formset([]),
        "documents": inline_formset([]),
        "policy_links": inline_formset([]),
        **{languages.localized_field("body", c): streamfield([]) for c in languages.LANGUAGE_CODES},
        **{languages.localized_field("results", c): rich_text("") for c in languages.LANGUAGE_CODES},
    }
    data.update(overrides)
    return nested_form_data(data)


def remove_committed(pages, others=()):
    """Undo a corpus committed for a module: pages (with their children), other objects, outbox rows."""
    from search.models import IndexTask

    for page in pages:
        page.delete()
    for obj in others:
        obj.delete()
    IndexTask.objects.all().delete()


def rolled_back(django_db_blocker, build):
    """Yield ``build()``'s result inside a transaction rolled back when the generator is closed.

    For module-scoped corpora that tests only read: built once, not once per
    test. Each test still runs in a savepoint of its own (pytest-django's ``db``),
    so what a test changes is undone before the next one sees the corpus.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
