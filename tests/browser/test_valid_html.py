"""Valid HTML: the Nu Html Checker (vnu-jar) over every page the browser tests checked.

The pages are saved as the browser tests go (conftest.Pages.check) and checked here in one Java
run, at the end of the browser tests (the marker `after_all_pages` puts this test last).
"""

import json
import subprocess

import pytest

from .conftest import VNU_JAR, Pages, vnu_problem

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.after_all_pages]


@pytest.fixture
def vnu_jar():
    if problem := vnu_problem():
        pytest.skip(problem)
    return VNU_JAR


def test_every_checked_page_is_valid_html(vnu_jar, pages, html_folder):
    """Zero errors from the Nu Html Checker on every page the browser tests visited."""
    # Run alone, this test still checks a few pages of its own.
    tab = pages("valid-html")
    for path in ["/lokalsamverkan/", "/tillganglighet/"]:
        tab.visit(path)
    files = sorted(html_folder.glob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m["type"] in {"error", "non-document-error"}]
    report = "\n".join(
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        f"\n    {m.get('extract', '').strip()}"
        for m in errors
    )
    print(f"\nPages checked: {Pages.checked_count} with axe, {len(files)} with the Nu checker")
    assert not errors, f"{len(errors)} errors in {len(files)} pages:\n{report}"
    tab.assert_clean()
