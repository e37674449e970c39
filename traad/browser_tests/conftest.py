"""Browser tests: Playwright driving Debian's headless Chromium against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.getenv("TRAAD_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        if os.getenv("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# Browser tests run against a live server, so they commit, and the database is emptied after
# each one — including the rows the data migrations loaded. Load those again before each test.
REFERENCE_DATA = (
    "traad.organisations.migrations.0002_load_municipalities",
    "traad.organisations.migrations.0004_load_vocabularies",
    "traad.cases.migrations.0002_load_intervention_types",
    "traad.cases.migrations.0006_intervention_type_is_visitation",
)


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    import importlib

    from django.apps import apps

    for module in REFERENCE_DATA:
        importlib.import_module(module).load(apps, None)
