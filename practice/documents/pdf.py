"""HTML to PDF with WeasyPrint, fetching nothing but the product's own files.

Every document is rendered against DOCUMENT_ORIGIN, a host under `.invalid` (RFC 2606: it can
never resolve), and WeasyPrint asks an AllowListFetcher for every resource it wants. The fetcher
answers only

  - DOCUMENT_ORIGIN + STATIC_URL + <path>: the product's own stylesheets and images, found with
    the staticfiles finders (no file outside the static folders, no other file types);
  - LOGO_URL: the letterhead logo the practice admin uploaded, handed in as bytes;

and refuses everything else (file://, http(s):// anywhere, data:, any other path) without
touching the network or the disk. Templates keep Django's autoescaping, so text a user typed can
never become an element or a URL in the first place; the fetcher is the second wall.
"""

from __future__ import annotations

import logging
import os
import posixpath
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.template.loader import render_to_string
from django.utils.text import slugify

logger = logging.getLogger(__name__)

DOCUMENT_ORIGIN = "https://documents.practice.invalid"
LOGO_URL = f"{DOCUMENT_ORIGIN}/letterhead/logo"
# Only what a print stylesheet and a letterhead need; never scripts, fonts from elsewhere, HTML.
STATIC_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


class RefusedURL(ValueError):
    """WeasyPrint asked for a resource outside the allow-list."""


def _weasyprint():
    # Imported on first use: pages that never render a PDF do not load Pango and friends.
    # WeasyPrint reports every layout step at INFO; only its warnings matter in the log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    return weasyprint, URLFetcher, URLFetcherResponse


def static_path_for(url: str) -> Path | None:
    """The file behind an allowed static URL, or None when the URL is not one."""
    prefix = f"{DOCUMENT_ORIGIN}{settings.STATIC_URL}"
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return None
    relative = unquote(parts.path)[len(settings.STATIC_URL) :]
    normalised = posixpath.normpath(relative)
    if (
        not relative
        or normalised != relative
        or normalised.startswith(("/", "."))
        or "\\" in relative
        or "\x00" in relative
        or Path(relative).suffix.lower() not in STATIC_TYPES
    ):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None


def make_fetcher(*, logo: bytes | None = None, logo_type: str = "image/png"):
    """A fresh AllowListFetcher. `requested` and `refused` list every URL WeasyPrint asked for."""
    _, URLFetcher, URLFetcherResponse = _weasyprint()

    class AllowListFetcher(URLFetcher):
        def __init__(self) -> None:
            # No protocol is allowed to reach urllib: every answer comes from fetch() below.
            super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers=None):
            self.requested.append(url)
            if url == LOGO_URL:
                if not logo:  # allowed, but the file is gone: print without it
                    raise FileNotFoundError("The letterhead logo file is missing.")
                return URLFetcherResponse(url, body=logo, headers={"Content-Type": logo_type})
            path = static_path_for(url)
            if path is not None:
                content_type = STATIC_TYPES[path.suffix.lower()]
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": content_type}
                )
            self.refused.append(url)
            logger.warning("PDF rendering refused a resource outside the allow-list: %.200s", url)
            raise RefusedURL(f"Not an allowed document resource: {url[:200]}")

    return AllowListFetcher()


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


_fonts = threading.local()


def font_configuration():
    """One WeasyPrint font configuration per worker thread, kept for its life: building it
    (fontconfig's view of the system fonts) is a fixed cost every document used to pay again,
    11-23 % of a render. Our stylesheets declare no @font-face, so nothing accumulates in it."""
    if getattr(_fonts, "configuration", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


def html_to_pdf(html: str, *, fetcher=None, logo: bytes | None = None) -> RenderedPdf:
    weasyprint, _, _ = _weasyprint()
    fetcher = fetcher if fetcher is not None else make_fetcher(logo=logo, logo_type=logo_type(logo))
    document = weasyprint.HTML(string=html, base_url=f"{DOCUMENT_ORIGIN}/", url_fetcher=fetcher)
    laid_out = document.render(font_config=font_configuration())
    return RenderedPdf(content=laid_out.write_pdf(), pages=len(laid_out.pages))


def render_pdf(
    template_name: str, context: dict, *, logo: bytes | None = None, fetcher=None
) -> RenderedPdf:
    """Render a template under templates/pdf/ (autoescaped like every Django template) to PDF."""
    return html_to_pdf(render_to_string(template_name, context), fetcher=fetcher, logo=logo)


def logo_type(logo: bytes | None) -> str:
    if logo and logo.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return "image/png"


def store_atomically(storage: Storage, name: str, content: bytes) -> str:
    """Write `content` under a new name next to `name` and return that name. On the local disk
    the bytes go to a temporary file that is renamed into place only when complete, so a crash or
    a full disk never leaves a half-written document behind; an object store writes an object
    whole or not at all. An existing file is never overwritten."""
    if not isinstance(storage, FileSystemStorage):
        return storage.save(name, ContentFile(content))
    final_name = storage.get_available_name(name)
    final_path = Path(storage.path(final_name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final_path.parent, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        if final_path.exists():  # somebody took the name meanwhile: never overwrite
            raise FileExistsError(final_name)
        os.replace(temporary, final_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final_name


def safe_file_name(*parts: str, extension: str = "pdf") -> str:
    """A download name of ASCII letters, digits and hyphens only: nothing to escape in a header
    and nothing a file system could misread."""
    stem = "-".join(filter(None, (slugify(part) for part in parts)))[:100].strip("-")
    return f"{stem or 'document'}.{extension}"
