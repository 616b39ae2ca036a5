"""Suite-wide fixtures and rules.

- A skipped test fails the run (a skip hides a missing install step).
- Browser fixtures: open a report in headless Chromium and report what happened.

``browser_page_check(path) -> dict`` opens ``path`` (file://) in Debian's Chromium through
Playwright, records every request, console message, page error and dialog, waits until every
figure is drawn (or has failed) and returns::

    {"requests": [url, ...],          # requests other than the page itself and data: URLs
     "all_requests": [url, ...],      # every request, the page itself included
     "console_errors": [text, ...],   # console errors + uncaught page errors
     "console": [(type, text), ...],
     "dialogs": [(type, message), ...],
     "figures": int,                  # div.rk-figure elements
     "drawn": int,                    # of those, how many hold a drawn .main-svg
     "undrawn": [id, ...],
     "sections": [id, ...],           # section.rk-section ids, in order
     "title": str}

Requests other than file:// and data: are aborted (and recorded), so a test can never reach
the network. Chromium is not optional: a missing browser fails with instructions.
"""


from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from live_data_tier import live_bad, live_good  # noqa: F401  (session fixtures: data tier)

CHROMIUM = os.environ.get("READINESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DRAW_TIMEOUT_MS = 60_000
_ALL_SETTLED = """() => Array.from(document.querySelectorAll('div.rk-figure')).every(
    d => d.querySelector('.main-svg') !== null || d.classList.contains('rk-figure-failed'))"""
_FIGURE_STATE = """() => Array.from(document.querySelectorAll('div.rk-figure')).map(
    d => ({id: d.id, drawn: d.querySelector('.main-svg') !== null,
           width: d.getBoundingClientRect().width}))"""


def _chromium_path() -> str:
    path = CHROMIUM if os.path.isabs(CHROMIUM) else (shutil.which(CHROMIUM) or CHROMIUM)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {path!r}. The report browser test needs Debian's chromium: "
            "run `apt-get install -y chromium` (or set READINESS_CHROMIUM to the executable). "
            "This test is never skipped.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (Playwright, Debian's executable)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        pytest.fail("playwright is not installed: pip install -e '.[dev]'", pytrace=False)
    path = _chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _is_local(url: str, page_url: str) -> bool:
    return url == page_url or url.startswith("data:")


@pytest.fixture
def browser_page_check(chromium_browser) -> Callable[..., dict]:
    """``check(path, *, timeout_ms=60000, print_media=False, evaluate=None) -> dict`` (see
    module doc); ``evaluate``, a JavaScript function, is run on the drawn page and its value
    returned as ``evaluated``.

    With ``print_media=True`` the page is also switched to print media and ``beforeprint`` is
    dispatched; ``print_figure_widths`` then holds each figure's width in print layout.
    """
    from playwright.sync_api import Error as PlaywrightError

    contexts: list[Any] = []

    def check(path: str | os.PathLike, *, timeout_ms: int = DRAW_TIMEOUT_MS,
              print_media: bool = False, evaluate: str | None = None) -> dict:
        page_url = Path(path).resolve().as_uri()
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900},
                                               service_workers="block")
        contexts.append(context)
        result: dict[str, Any] = {"requests": [], "all_requests": [], "console": [],
                                  "console_errors": [], "dialogs": [], "page_errors": []}

        def route(route_obj):
            url = route_obj.request.url
            if _is_local(url, page_url):
                route_obj.continue_()
            else:
                route_obj.abort()

        context.route("**/*", route)
        page = context.new_page()

        def on_request(request):
            result["all_requests"].append(request.url)
            if not _is_local(request.url, page_url):
                result["requests"].append(request.url)

        def on_console(message):
            result["console"].append((message.type, message.text))
            if message.type == "error":
                result["console_errors"].append(message.text)

        def on_page_error(error):
            result["page_errors"].append(str(error))
            result["console_errors"].append(f"uncaught: {error}")

        def on_dialog(dialog):
            result["dialogs"].append((dialog.type, dialog.message))
            dialog.dismiss()

        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        page.on("dialog", on_dialog)
        page.goto(page_url, wait_until="load", timeout=timeout_ms)
        try:
            page.wait_for_function(_ALL_SETTLED, timeout=timeout_ms)
        except PlaywrightError as exc:  # report the state; the assertions say what is wrong
            result["wait_error"] = str(exc).splitlines()[0]
        state = page.evaluate(_FIGURE_STATE)
        result["figures"] = len(state)
        result["drawn"] = sum(1 for f in state if f["drawn"])
        result["undrawn"] = [f["id"] for f in state if not f["drawn"]]
        result["figure_widths"] = [f["width"] for f in state]
        result["sections"] = page.eval_on_selector_all(
            "section.rk-section", "els => els.map(e => e.id)")
        result["title"] = page.title()
        if evaluate:
            result["evaluated"] = page.evaluate(evaluate)
        if print_media:
            page.emulate_media(media="print")
            page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
            page.wait_for_timeout(300)
            result["print_figure_widths"] = page.eval_on_selector_all(
                "div.rk-figure .main-svg:first-of-type",
                "els => els.map(e => e.getBoundingClientRect().width)")
            result["print_topbar_position"] = page.evaluate(
                "() => { const e = document.querySelector('.rk-topbar');"
                " return e ? getComputedStyle(e).display : null; }")
        page.close()
        return result

    yield check
    for context in contexts:
        context.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"{len(skipped)} test(s) skipped: skips are failures here; install what they need",
            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
