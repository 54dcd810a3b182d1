"""Schemathesis against a live test server: every operation of the generated OpenAPI document.

A bounded run (``--checks all``, a fixed seed, a few examples per operation)
of the same command the README gives partners; any failure fails the suite.

The run is cut into pieces that pytest-xdist gives to different workers
(``SPREAD_BY_TEST`` in ``tests/conftest.py``): in one piece it took three minutes
of one worker while the others did the rest of the suite. Together the pieces
run every phase on every operation once, with the same checks, seed and examples:
the coverage phase (nine tenths of the time: every boundary value of every
parameter) tests one operation at a time, so each piece runs it on a group of
operations (:data:`OPERATION_GROUPS`, plus one piece for every operation no group
names, so that none is left out); the stateful phase follows the links that the
fuzzing phase's responses reveal between operations, so these two run once,
together, on the whole document.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.api_v1_support import clear_cache, make_content

pytestmark = [pytest.mark.django_db(transaction=True)]

ST = Path(sys.executable).with_name("st")
SCHEMATHESIS_TIMEOUT = 600  # seconds (per piece; the whole run took about three minutes on two cores)
OPERATION_PHASES = "examples,coverage"  # per operation

# Path patterns of about equal cost (the coverage phase's cases: a list with many
# filters costs ten times a detail). Whatever matches none of them is the last piece.
OPERATION_GROUPS = {
    "projects": r"^/api/v1/projects/",
    "trainings": r"^/api/v1/trainings/",
    "policies": r"^/api/v1/policies/",
    "news": r"^/api/v1/news/",
    "reference-data": r"^/api/v1/(organisations|concepts|countries|themes)/",
}
PIECES = {
    **{
        name: ["--include-path-regex", pattern, "--phases", OPERATION_PHASES]
        for name, pattern in OPERATION_GROUPS.items()
    },
    # The search endpoints, the change feed, the API's index, and any operation added later.
    "every-other-operation": [
        "--exclude-path-regex",
        "|".join(OPERATION_GROUPS.values()),
        "--phases",
        OPERATION_PHASES,
    ],
    # Random cases for every operation, then sequences of calls along the links they revealed.
    "fuzzing-and-stateful-links": ["--phases", "fuzzing,stateful"],
}
# The API as production serves it: counts, Last-Modified and list pages kept until the next
# publish (the test settings turn that off because most tests roll back, and a rolled-back
# publish never moves the counter; here the corpus is committed before the run, so it has
# moved). Thousands of requests: with the memo off each list request cost about three times
# the CPU (20 ms against 7 ms), for the same answers. (A piece longer than this recomputes.)
MEMO_SECONDS = 300
SELECTED = re.compile(r"Operations:\s+(\d+) selected / (\d+) total")


def schemathesis_command(base_url, examples=8):
    """The README's command (with fewer examples here, to stay bounded in CI)."""
    return [
        str(ST),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--url",
        base_url,
        "--checks",
        "all",
        "--seed",
        "20260513",
        "--max-examples",
        str(examples),
        "--generation-deterministic",
        "--request-timeout",
        "30",
        "--no-color",
    ]


@pytest.mark.parametrize("piece", PIECES)
@override_settings(API_RATE_LIMIT=None, CONTENT_MEMO_SECONDS=MEMO_SECONDS)
def test_schemathesis_finds_nothing(piece, restore_portal, live_server, home, tmp_path):
    clear_cache()
    make_content(home)
    result = subprocess.run(
        schemathesis_command(live_server.url) + PIECES[piece],
        capture_output=True,
        text=True,
        timeout=SCHEMATHESIS_TIMEOUT,
        cwd=tmp_path,  # its report folder (.schemathesis) stays out of the checkout
    )
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert (
        "No issues found" in result.stdout or " 0 failures" in result.stdout or "passed" in result.stdout
    ), report
    selected = SELECTED.search(result.stdout)
    assert selected and int(selected.group(1)) > 0, f"{piece}: no operation selected\n{report}"
