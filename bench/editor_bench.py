"""What an editor waits for in the admin of a big database: publish, the section's explorer, reports.

    DATABASE_URL=postgres://…/scale_100k_copy .venv/bin/python bench/editor_bench.py --rounds 5

Runs against an existing database (the 100,000-item one of the README's
scaling section, or a copy: every round publishes a page), through Django's
test client signed in as a superuser (the whole stack: middleware, admin
views, the edit form posted as the browser posts it, the publish's commit and
its ``on_commit`` work). For the biggest section (the index page with the
most children) it times, each ``--rounds`` times:

* an edit of one of its pages published from the edit form (the title changed),
* a new page published there (the same form, another title),
* the section's page explorer (where the publish sends the editor),
* the "Missing translations" report, whole and filtered on Russian,
* the reader's home and countries pages first after a publish (cold) and again (warm),
* the admin's page search (the explorer's search box) for a common word and a rare one,
* the reader's search page answered by the database (run it with ``ELASTICSEARCH_URL`` unset: the
  fallback of ``search/fallback.py``) for a word in nearly every item and for one no page holds
  (a new word each round, so neither the page cache nor the database's cache answers it),

and prints p50/max in milliseconds with the ratio to the baseline: the
admin's account page, measured in the same rounds (a page whose cost does not
depend on the archive). Goal (issue 14): each editor's request p50 ≤ 1 s at
100,000 items. On a shared machine, run it when no other benchmark runs.

``--no-searches`` leaves out the four searches. They scan large tables (the
fallback's trigram lookups, Wagtail's index) just before the explorer of the
next round and the reports, whose pages may then have left PostgreSQL's
buffer cache: run with and without to tell the reports' own cost from what
the searches' reads evict (the explorer's and the reports' figures at 100k
grew when the searches were added to this bench, with no change to either).
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(call):
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    if response.status_code >= 400:
        raise SystemExit(f"{response.status_code} from {response.request['PATH_INFO']}")
    return elapsed, response


def _form_errors(response):
    """The error messages of a form answered again (the test client keeps no context outside tests)."""
    text = response.content.decode()
    return re.findall(r'class="error-message"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', text) or response.status_code


# A word no page holds (numbered per round): what the database search does when nothing matches.
RARE = "зыбучесть"


def _biggest_section():
    from wagtail.models import Page

    return Page.objects.filter(depth=3).order_by("-numchild").first()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--user", help="superuser's name (default: the first superuser)")
    parser.add_argument(
        "--no-searches", action="store_true", help="leave out the admin's and the reader's searches"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.admin_session import edit_form_data

    users = get_user_model().objects.filter(is_superuser=True)
    user = users.get(username=args.user) if args.user else users.order_by("pk").first()
    if user is None:
        raise SystemExit("No superuser in this database: create one with manage.py createsuperuser.")
    editor, reader = Client(), Client()
    editor.force_login(user)
    section = _biggest_section()
    pages = list(section.get_children().order_by("-path")[: args.rounds])
    load = os.getloadavg()[0]
    if settings.ELASTICSEARCH_URL:
        print("ELASTICSEARCH_URL is set: the reader's searches below are the engine's, not the database's")
    print(f"section {section.title!r}: {section.numchild} pages; {args.rounds} rounds; load {load:.1f}")
    times = {}

    def note(name, request, *args):
        elapsed, response = _timed(lambda: request(*args))
        times.setdefault(name, []).append(elapsed)
        print(f"  {name}: {elapsed * 1000:.0f} ms", flush=True)
        return response

    for n, page in enumerate(pages):
        page = page.specific
        title = page.title_en or page.title
        data = edit_form_data(editor, page, title_en=f"{title} ·", **{"action-publish": "action-publish"})
        note("baseline: account page", editor.get, "/admin/account/")
        response = note("publish an edit", editor.post, f"/admin/pages/{page.pk}/edit/", data)
        if response.status_code != 302:
            raise SystemExit(f"the publish was refused: {_form_errors(response)}")
        new = {**data, "title_en": f"{title} (new)", "external_id": ""}
        new.update({name: "" for name in data if name.startswith("slug")})  # made from the title
        add = f"/admin/pages/add/{page._meta.app_label}/{page._meta.model_name}/{section.pk}/"
        response = note("publish a new page", editor.post, add, new)
        if response.status_code != 302:
            raise SystemExit(f"the new page was refused: {_form_errors(response)}")
        note("home page, cold (ru)", reader.get, "/ru/")
        note("countries page, cold (ru)", reader.get, "/ru/countries/")
        note("home page, warm (en)", reader.get, "/en/")
        note("section explorer", editor.get, f"/admin/pages/{section.pk}/")
        if not args.no_searches:
            note("admin page search: water", editor.get, "/admin/pages/search/", {"q": "water"})
            note("admin page search: rare word", editor.get, "/admin/pages/search/", {"q": f"{RARE}{n}"})
            note("search, database: water", reader.get, "/en/search/", {"q": "water", "page": n + 1})
            note("search, database: no match", reader.get, "/ru/search/", {"q": f"{RARE}{n}"})
        note("missing translations", editor.get, "/admin/reports/missing-translations/")
        note(
            "missing translations: Russian",
            editor.get,
            "/admin/reports/missing-translations/",
            {"missing": "ru"},
        )
    base = statistics.median(times.pop("baseline: account page"))
    print(f"{'':34} {'p50 ms':>9} {'max ms':>9} {'p50 / baseline':>15}")
    print(f"{'baseline: account page':34} {base * 1000:9.0f}")
    for name, values in times.items():
        p50 = statistics.median(values)
        print(f"{name:34} {p50 * 1000:9.0f} {max(values) * 1000:9.0f} {p50 / base:15.1f}")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
