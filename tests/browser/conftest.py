"""Browser tests: Playwright driving the machine's Chromium against a live server.

Every page a test shows is checked the same way (`Pages.check`): axe-core with the WCAG 2.1 A and
AA rules, lang="sv", exactly one h1, the landmarks, a skip link that moves focus to the content,
no horizontal scrolling at 320 px width nor at 200 % zoom, and its HTML saved for the Nu Html
Checker, which test_valid_html.py runs once over all of them at the end.

200 % zoom is emulated the way Chromium zooms: a 1280 px window zoomed to 200 % lays the page out
in 640 CSS pixels with two device pixels to each, so the check uses a 640 px viewport with a
device scale factor of 2.

Needs /usr/bin/chromium (apt-get install chromium) and, for the HTML check, Java and the
vnu-jar npm package (`make browser-tools`); without them the tests skip with the reason, and
CI, where they are installed, fails them.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR", Path(settings.BASE_DIR) / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"
    )
)
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 450}  # a 1280 px window at 200 %: see the module docstring


def chromium_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def vnu_problem() -> str | None:
    if not shutil.which("java"):
        return "needs Java for the Nu Html Checker (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"needs the Nu Html Checker at {VNU_JAR} (make browser-tools, or set VNU_JAR)"
    return None


def pytest_collection_modifyitems(config, items):
    """Check the HTML of all pages at the end, once every other browser test has saved its pages."""
    last = [item for item in items if item.get_closest_marker("after_all_pages")]
    if not last:
        return
    rest = [item for item in items if item not in last]
    browser_items = [i for i, item in enumerate(rest) if "tests/browser/" in item.nodeid]
    end = browser_items[-1] + 1 if browser_items else len(rest)
    items[:] = rest[:end] + last + rest[end:]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "after_all_pages: runs after every other browser test (the Nu Html Checker)"
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say clearly how many browser tests did not run, and why."""
    reasons = {}
    for report in terminalreporter.stats.get("skipped", []):
        if "tests/browser/" not in report.nodeid:
            continue
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        tests = "browser test was" if count == 1 else "browser tests were"
        terminalreporter.write_line(f"{count} {tests} skipped: {reason}", yellow=True, bold=True)


@pytest.fixture(scope="package")
def browser():
    """Yield one headless Chromium for all the browser tests."""
    if problem := chromium_problem():
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls, so Django's guard is lifted
    # while the browser runs (this package only).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def html_folder(tmp_path_factory):
    """The folder where every checked page's HTML waits for the Nu Html Checker."""
    return tmp_path_factory.mktemp("html")


@pytest.fixture
def demo_site(live_server, settings, tmp_path):
    """Load the Borås 2017 demo (accounts with the password "demo") and return the server's URL.

    Files (receipts, report PDFs) go to a temporary folder on disk, where a worker process can
    write them too.
    """
    call_command("loaddemo", stdout=io.StringIO())  # with the report narrative
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return live_server.url


@pytest.fixture
def pages(browser, demo_site, html_folder):
    """Yield a factory of checked browser tabs: `pages(journey, viewport=WIDE)`."""
    opened = []

    def open_tab(journey: str, viewport: dict = WIDE) -> "Pages":
        context = browser.new_context(viewport=viewport, locale="sv-SE", base_url=demo_site)
        context.set_default_timeout(20_000)
        tab = Pages(context, journey=journey, html_folder=html_folder)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


class Pages:
    """One browser tab of a journey, and the checks every page it shows must pass."""

    checked_count = 0

    def __init__(self, context, *, journey: str, html_folder: Path):
        self.context = context
        self.page = context.new_page()
        self.journey = journey
        self.html_folder = html_folder
        self.problems: list[str] = []
        self.step = 0
        self.last_method = "GET"
        self.zoomed = None  # a second tab, at 200 % zoom, with the same session
        self.page.on("request", self._remember_navigation)

    def _remember_navigation(self, request):
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.last_method = request.method

    def visit(self, path: str, name: str | None = None):
        response = self.page.goto(path)
        assert response.ok, f"{path}: HTTP {response.status}"
        self.check(name or path)
        return self.page

    def check(self, name: str):
        """Run every per-page check on the page now shown, recording what fails."""
        from axe_playwright_python.sync_playwright import Axe

        page = self.page
        page.wait_for_load_state("load")
        where = f"{name} ({page.url})"
        Pages.checked_count += 1

        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        if result.violations_count:
            self.problems.append(f"{where}: axe\n{result.generate_report()}")

        facts = page.evaluate(
            """() => ({
                lang: document.documentElement.lang,
                h1: document.querySelectorAll('h1').length,
                header: document.querySelectorAll('body > header').length,
                nav: document.querySelectorAll('nav').length,
                main: document.querySelectorAll('main').length,
                footer: document.querySelectorAll('body > footer').length,
                skipTarget: (document.querySelector('a.skip-link') || {}).hash,
            })"""
        )
        expected = {"lang": "sv", "h1": 1, "header": 1, "main": 1, "footer": 1}
        for key, value in expected.items():
            if facts[key] != value:
                self.problems.append(f"{where}: {key} is {facts[key]!r}, expected {value!r}")
        if not facts["nav"]:
            self.problems.append(f"{where}: no nav landmark")
        if facts["skipTarget"] != "#main":
            self.problems.append(f"{where}: no skip link to #main")

        self._save_html(name)
        self._check_reflow_and_skip_link(where)

    def _save_html(self, name: str):
        """Save the page's HTML for the Nu Html Checker.

        A page reached by GET is fetched again as the server sends it; the answer to a POST
        (a form shown again with its errors) cannot be, so its DOM is saved: with no scripts on
        the pages, that is the server's HTML re-serialised.
        """
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
        path = self.html_folder / f"{self.journey}-{Pages.checked_count:03d}-{slug}.html"
        if self.last_method == "POST":
            path.write_text(self.page.content(), encoding="utf-8")
            return
        response = self.context.request.get(self.page.url.split("#")[0])
        if "text/html" in response.headers.get("content-type", ""):
            path.write_bytes(response.body())

    def _check_reflow_and_skip_link(self, where: str):
        """No horizontal scrolling at 320 px nor at 200 % zoom; a skip link that works.

        The zoom and the skip link are tried in a second tab with the same session, so the
        journey's own tab stays as the user left it.
        """
        root = "document.documentElement"
        scrolls = f"() => {root}.scrollWidth > {root}.clientWidth"
        size = self.page.viewport_size
        self.page.set_viewport_size(NARROW)
        if self.page.evaluate(scrolls):
            self.problems.append(f"{where}: scrolls sideways at 320 px")
        self.page.set_viewport_size(size)
        if self.zoomed is None:
            self.zoomed = self.context.browser.new_context(
                viewport=ZOOMED, device_scale_factor=2, locale="sv-SE"
            ).new_page()
        self.zoomed.context.clear_cookies()
        self.zoomed.context.add_cookies(self.context.cookies())
        self.zoomed.goto(self.page.url.split("#")[0])
        if self.zoomed.evaluate(scrolls):
            self.problems.append(f"{where}: scrolls sideways at 200 % zoom")
        self._check_skip_link(self.zoomed, where)

    def _check_skip_link(self, page, where: str):
        """The first Tab reaches a visible skip link; Enter on it moves focus to the content."""
        if page.locator("[autofocus]").count():
            # The login form focuses its username field, as Django's login does, so Tab starts
            # there; the skip link is still the first element, and focusing it must show it.
            page.locator("a.skip-link").focus()
        else:
            page.keyboard.press("Tab")
        first = page.evaluate(
            """() => { const el = document.activeElement, box = el.getBoundingClientRect();
                       return {skip: el.classList.contains('skip-link'),
                               onScreen: box.top >= 0 && box.height > 0}; }"""
        )
        if not (first["skip"] and first["onScreen"]):
            self.problems.append(f"{where}: the first Tab does not show the skip link: {first}")
            return
        page.keyboard.press("Enter")
        if page.evaluate("() => document.activeElement.id") != "main":
            self.problems.append(f"{where}: the skip link does not move focus to the content")

    def snap(self, step: str):
        """Save a full-page screenshot of this step at 375 px and at 1280 px."""
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        for viewport in (PHONE, WIDE):
            self.page.set_viewport_size(viewport)
            name = f"{self.journey}-{self.step:02d}-{step}-{viewport['width']}.png"
            self.page.screenshot(path=SCREENSHOTS / name, full_page=True)
        self.page.set_viewport_size(size)

    def close(self):
        if self.zoomed is not None:
            self.zoomed.context.close()
        self.context.close()

    def assert_clean(self):
        assert not self.problems, "\n\n".join(self.problems)


def focus_facts(page) -> dict:
    """Return what has keyboard focus and whether it shows a visible focus indicator."""
    return page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || '').trim().slice(0, 80),
                href: el.getAttribute('href') || '',
                id: el.id,
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                shadow: style.boxShadow !== 'none',
                onScreen: box.width > 0 && box.height > 0,
            };
        }"""
    )


# The OpenID Connect provider of the sign-in journeys (tests/oidc_provider.py).
from tests.oidc_provider import municipal_sign_in, oidc_provider  # noqa: E402,F401
