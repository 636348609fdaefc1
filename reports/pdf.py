"""HTML to PDF/A with WeasyPrint, fetching nothing but the project's own static files.

Reports are archived public records: every PDF is PDF/A-3a (tagged, so screen readers can follow
it), declares Swedish, carries title, author and dates, and embeds its fonts. WeasyPrint asks
`StaticFilesFetcher` for every stylesheet, font and image; it serves files from the static folders
and refuses anything else, so rendering never touches the network.
"""

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# WeasyPrint logs every rendering step at INFO, some while it is imported; a log needs none.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3a"
# Relative URLs in the templates resolve against this origin. ".invalid" never resolves (RFC
# 2606), and the fetcher answers for it from local files only.
BASE_URL = "https://report.invalid/"


class RefusedFetch(ValueError):
    """A PDF asked for something other than a local static file."""


class StaticFilesFetcher(URLFetcher):
    """Serve `BASE_URL` + STATIC_URL paths from the static files; refuse every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), fail_on_errors=False)
        self.refused: list[str] = []
        self.prefix = BASE_URL.rstrip("/") + settings.STATIC_URL

    def local_path(self, url: str) -> Path | None:
        """Return the file behind a static URL, or None when it is not one of ours."""
        if not url.startswith(self.prefix):
            return None
        name = url.removeprefix(self.prefix).split("?", 1)[0].split("#", 1)[0]
        if not name or ".." in Path(name).parts:
            return None
        found = finders.find(name)
        if found is None and settings.STATIC_ROOT:
            # A collected (possibly hashed) file: production serves these.
            try:
                found = staticfiles_storage.path(name)
            except NotImplementedError:
                found = None
        if found is None or not Path(found).is_file():
            return None
        return Path(found)

    def fetch(self, url, headers=None):
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s: only local static files.", url)
            raise RefusedFetch(f"Refused to fetch {url}: reports use local static files only")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def html_to_pdf(html: str) -> bytes:
    """Return `html` (a whole document with lang, title and meta author/dcterms) as PDF/A bytes.

    The document's <title>, <meta name="author">, <meta name="dcterms.created"> and
    <meta name="dcterms.modified"> become the PDF's metadata, <html lang> its language.
    """
    fetcher = StaticFilesFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    if fetcher.refused:
        logger.warning("The PDF was rendered without %d external resources.", len(fetcher.refused))
    return pdf
