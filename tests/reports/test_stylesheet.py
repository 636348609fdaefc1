"""Text people write reaches a report PDF's stylesheet only as one CSS string, never as CSS.

The page footer shows the document's title, which comes from the annual report's narrative or a
network kind's name. Each title below tries to end the string, the line, the rule or the <style>;
the HTML the PDF is made from is parsed as WeasyPrint parses it (tinyhtml5, tinycss2), and its
footer must hold exactly the title, as one string token.
"""

import io

import pytest
import tinycss2
import tinyhtml5
from pypdf import PdfReader

from reports.build import report_build, report_html
from reports.models import AnnualReportText, ReportKind
from tests.factories.networks import NetworkKindFactory

from .conftest import normalise

YEAR = 2026
# Every way to end a CSS string or line (CSS Syntax 3 §3.3: \n, \r, \r\n, \f), an escape, both
# quotes, the end of the <style>, NUL, a line separator, and a title that writes its own rules.
HOSTILE = {
    "newline": 'A\n} @page { @bottom-left { content: "x" } } /*',
    "carriage return": "A\r} @page { margin: 0 } /*",
    "crlf": "A\r\n} @page { margin: 0 } /*",
    "form feed": 'A\f} @page { @top-center { content: "owned" } } /*',
    "backslash": "C:\\temp\\ \\22 \\",
    "double quote": 'Årsrapport"; } @page { @top-center { content: "owned" } } /*',
    "single quote": "Barn & unga's 'nätverk'",
    "end of style": "Rapport</style><script>alert(1)</script><style>",
    "line separator": "Rapport\u2028} @page {\u2029margin: 0 }",
    "comment": "Rapport */ } /* @import url(https://example.invalid/x.css);",
}

# A NUL cannot be stored in PostgreSQL's text (Django's forms refuse it before), so it is fed to
# the filter directly: were one ever stored elsewhere, it still could not end the string.
NUL = "Rapport\0; } @page { margin: 0 }"


def test_a_nul_becomes_the_replacement_character_inside_one_css_string():
    """A NUL in a title is written as U+FFFD inside the one string, never as a raw NUL."""
    from reports.templatetags.reports import css_string

    rules = tinycss2.parse_stylesheet(
        f"@page {{ @bottom-left {{ content: {css_string(NUL)} }} }}", skip_whitespace=True
    )
    assert len(rules) == 1
    (margin,) = tinycss2.parse_blocks_contents(rules[0].content, skip_whitespace=True)
    (declaration,) = tinycss2.parse_blocks_contents(margin.content, skip_whitespace=True)
    (token,) = [token for token in declaration.value if token.type != "whitespace"]
    assert token.type == "string"
    assert token.value == NUL.replace("\0", "\ufffd")
    assert "\0" not in css_string(NUL)


def parsed_footer(html: str) -> list:
    """Return the tokens of the footer title's `content` in the report's only <style>."""
    document = tinyhtml5.parse(html)
    styles = document.findall(".//{http://www.w3.org/1999/xhtml}style")
    assert len(styles) == 1
    rules = tinycss2.parse_stylesheet(styles[0].text, skip_comments=True, skip_whitespace=True)
    assert [(rule.type, rule.lower_at_keyword) for rule in rules] == [("at-rule", "page")] * 2
    margins = tinycss2.parse_blocks_contents(rules[0].content, skip_whitespace=True)
    assert [(box.type, box.lower_at_keyword) for box in margins] == [
        ("at-rule", "bottom-left"),
        ("at-rule", "bottom-right"),
    ]
    (declaration,) = tinycss2.parse_blocks_contents(margins[0].content, skip_whitespace=True)
    assert (declaration.type, declaration.lower_name) == ("declaration", "content")
    return [token for token in declaration.value if token.type != "whitespace"]


@pytest.mark.parametrize("title", HOSTILE.values(), ids=HOSTILE.keys())
def test_an_annual_report_title_is_one_css_string_in_the_footer(db, title):
    """The narrative's title reaches the stylesheet as exactly one string: itself."""
    AnnualReportText.objects.create(year=YEAR, title=title)
    html = report_html(kind=ReportKind.ANNUAL, year=YEAR)
    (token,) = parsed_footer(html)
    assert token.type == "string"
    assert token.value == f"{title} {YEAR}"


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_network_kind_name_is_one_css_string_in_the_calendar_footer(db, name):
    """A kind's name in the calendar's title reaches the stylesheet as exactly one string."""
    kind = NetworkKindFactory(name=name)
    html = report_html(kind=ReportKind.CALENDAR, year=YEAR, network_kind=kind)
    (token,) = parsed_footer(html)
    assert token.type == "string"
    assert token.value.endswith(f": {name}")


@pytest.mark.parametrize(
    "title",
    [
        'Årsrapport"; } @page { @top-center { content: "owned" } } /* \\ </style>',
        "Årsrapport\f; } } @page { @top-center { content: 'owned' } } /* \\ \" </style>",
    ],
    ids=["quote", "form feed"],
)
def test_the_pdf_footer_shows_a_hostile_title_literally(db, title):
    """The PDF's footer prints the title as written, quotes, braces and all, and adds no box.

    A form feed has no glyph (pypdf reads it as noise), so only what follows it is compared.
    """
    AnnualReportText.objects.create(year=YEAR, title=title, introduction="Stycke.\n\n" * 120)
    reader = PdfReader(io.BytesIO(report_build(kind=ReportKind.ANNUAL, year=YEAR)))
    pages = [normalise(page.extract_text().replace("\0", "")) for page in reader.pages]
    assert len(pages) > 1
    footer = normalise(f"{title} {YEAR}".split("\f")[-1])
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Sida {number} av {len(pages)}")
        if number > 1:
            # The footer holds the title, and nothing else on the page says "owned".
            assert footer in page
            assert page.count("owned") == 1
