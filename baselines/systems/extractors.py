"""Article extractors that read the page's HTML, their text mapped back onto the lines.

trafilatura, readability-lxml, boilerpipe (boilerpy3) and jusText each read the raw
markup (`documents.html`) as they would on the web and return the article as text;
`baselines.alignment` maps that text onto the rendered lines. They predict is_content
only (no roles). A plain-text document has no markup to read: the declared fallback is
the page `<p>line</p>` per line (what the `justext-lines` system reads), and the result
records which documents took it. The floor, every visible line kept, is `all-content`:
on an HTML page the document text is exactly the page's visible text.
"""
from __future__ import annotations

from abc import abstractmethod
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import pandas as pd

from corpus.html.render import unwrap
from baselines.alignment import kept_lines
from baselines.registry import register
from baselines.system import System, SystemUnavailable
from baselines.systems.boilerplate import _doc_order, _frame, paragraphs_page
from baselines.tasks import TaskInput

LINES_AS_PARAGRAPHS = "lines-as-paragraphs"
# jusText ships stoplists by English language name; documents carry ISO 639-1 codes.
JUSTEXT_LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
                     "it": "Italian", "nl": "Dutch", "ru": "Russian", "hy": "Armenian"}


class HtmlExtractor(System):
    """Base: per document, the extractor's text from the HTML (or the declared fallback), aligned to lines."""

    task = "boilerplate"
    library: str       # the PyPI distribution whose version is recorded
    module: str        # what must import for the system to run

    def __init__(self, seed: int = 0, **params: Any):
        super().__init__(seed, **params)
        try:
            __import__(self.module)
        except ImportError as err:
            raise SystemUnavailable(f"{self.library} cannot be imported ({err}); pip install {self.library}") from None
        self.fallback_documents: list[str] = []
        self.empty_documents: list[str] = []
        self.failed_documents: dict[str, str] = {}

    def versions(self) -> dict[str, str]:
        try:
            return {self.library: version(self.library)}
        except PackageNotFoundError:
            return {}

    def describe(self) -> dict[str, Any]:
        """What ran, and which documents had no markup (fallback), got no text from the extractor,
        or made it fail (with the error; such a page counts as nothing extracted)."""
        return super().describe() | {"details": {
            "reads": "documents.html",
            "plain_text_fallback": {"page": LINES_AS_PARAGRAPHS, "documents": list(self.fallback_documents)},
            "no_text_extracted": list(self.empty_documents), "failed": dict(self.failed_documents)}}

    @abstractmethod
    def extract(self, markup: str, language: str | None) -> str:
        """The article's text as the library returns it (paragraphs separated by line breaks)."""

    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        units = inputs.units.reset_index(drop=True)
        docs = inputs.documents.set_index("doc_id")
        is_content = np.zeros(len(units), dtype=bool)
        self.fallback_documents, self.empty_documents, self.failed_documents = [], [], {}
        for rows in _doc_order(units):
            doc_id = units.doc_id[rows[0]]
            lines = list(units.text.to_numpy()[rows])
            markup = docs.html[doc_id] if "html" in docs else None
            if not isinstance(markup, str) or not markup:
                self.fallback_documents.append(doc_id)
                markup = paragraphs_page(lines)
            language = docs.language[doc_id] if "language" in docs else None
            try:
                text = self.extract(unwrap(markup), language if isinstance(language, str) else None) or ""
            except Exception as err:  # a library's crash on one page must not end the run: recorded
                first = (str(err).strip().splitlines() or [""])[0]
                self.failed_documents[doc_id] = f"{type(err).__name__}: {first}"
                text = ""
            if not text.strip():
                self.empty_documents.append(doc_id)
            is_content[rows] = kept_lines(lines, text)
        return _frame(units, is_content)


@register
class Trafilatura(HtmlExtractor):
    """trafilatura's main text (default settings, its fallback extractors on, readers' comments left out)."""

    name = "trafilatura"
    library = module = "trafilatura"

    def extract(self, markup, language):
        import trafilatura

        from lxml import etree

        xml = trafilatura.extract(markup, output_format="xml", include_comments=False, include_tables=True)
        # The XML's elements are blocks (p, head, list item, cell): one line each, without the
        # "- " and "|" markers that trafilatura's text output adds to list items and cells.
        return "\n".join(etree.fromstring(xml).itertext()) if xml else ""


@register
class Readability(HtmlExtractor):
    """readability-lxml (the Arc90 Readability port): the summary's visible text, rendered like the pages."""

    name = "readability"
    library, module = "readability-lxml", "readability"

    def extract(self, markup, language):
        from readability import Document

        from corpus.html.render import render

        return render(Document(markup).summary(html_partial=True)).text


@register
class Boilerpipe(HtmlExtractor):
    """boilerpipe's ArticleExtractor (the boilerpy3 port): shallow text features over text blocks."""

    name = "boilerpipe"
    library = module = "boilerpy3"

    def extract(self, markup, language):
        from boilerpy3 import extractors

        return extractors.ArticleExtractor(raise_on_failure=False).get_content(markup)


@register
class JusTextHtml(HtmlExtractor):
    """jusText 3 on the page's own HTML (default parameters), with the stoplist of the page's language."""

    name = "justext"
    library = module = "justext"

    def extract(self, markup, language):
        import justext

        stoplist = justext.get_stoplist(JUSTEXT_LANGUAGES.get(language or "en", "English"))
        return "\n".join(p.text for p in justext.justext(markup, stoplist) if not p.is_boilerplate)
