"""Schemathesis against a live test server: every operation of the generated OpenAPI document.

A bounded run (``--checks all``, a fixed seed, a few examples per operation)
of the same command the README gives partners; any failure fails the suite.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.api_v1_support import clear_cache, make_content

pytestmark = [pytest.mark.django_db(transaction=True)]

ST = Path(sys.executable).with_name("st")
SCHEMATHESIS_TIMEOUT = 600  # seconds; the run takes about two minutes on two cores


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


@override_settings(API_RATE_LIMIT=None)
def test_schemathesis_finds_nothing(restore_portal, live_server, home, tmp_path):
    clear_cache()
    make_content(home)
    result = subprocess.run(
        schemathesis_command(live_server.url),
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
