"""Extractors that read a page's HTML: the shared mapping of their text onto the lines (exact
coverage on hand-made cases), and each system on a small page made here, with exact line labels."""
from __future__ import annotations

from importlib.metadata import version

import pandas as pd
import pytest

from corpus.html.render import render
from labels.text import units as text_units
from baselines import registry
from baselines.alignment import align, key, kept_lines
from baselines.systems.boilerplate import JusTextLines
from baselines.systems.extractors import Boilerpipe, JusTextHtml, Readability, Trafilatura
from baselines.tasks import TaskInput

PARAS = [
    "The storm that reached the northern coast on Monday night flooded more than two hundred homes, "
    "and the regional government said on Tuesday that the water had not yet begun to fall in the lower "
    "parts of the town, where most of the damage was done.",
    "Residents who had spent the night on the upper floors of their houses were taken to the school "
    "by boat in the morning, and the mayor asked everyone who lives near the river to leave before the "
    "next high tide, which is expected late in the evening.",
    "Forecasters warned that a second storm could follow at the end of the week, although they said it "
    "was still too early to say whether it would reach the same part of the coast or turn out to sea.",
]
PAGE = f"""<!DOCTYPE html>
<html><head><title>Storm floods the coast - Example News</title></head>
<body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Storm floods the northern coast</h1>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<p>{PARAS[2]}</p>
</article>
<footer><p>Copyright 2024 Example News. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>
</body></html>"""
# Lines: Home, World, Sport, headline, three paragraphs, copyright, "Privacy | Terms".
ARTICLE = [False, False, False, True, True, True, True, False, False]


def _inputs(pages: dict[str, tuple[str, str | None]], language: str = "en") -> TaskInput:
    """Documents (text, html or None) and their line units, as the boilerplate task gives them."""
    docs = pd.DataFrame({"doc_id": list(pages), "text": [t for t, _ in pages.values()],
                         "html": [h for _, h in pages.values()], "language": language})
    rows = [(d, u.line, u.start, u.end, u.text) for d, (t, _) in pages.items() for u in text_units(t)]
    return TaskInput(docs, pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"]))


def _html(page: str) -> dict[str, tuple[str, str]]:
    return {"p": (render(page).text, page)}


# --- the mapping -----------------------------------------------------------------------------

def test_key_ignores_case_spacing_and_invisible_characters():
    assert key("Ｓtorm\u00adwarning\u00a0 for THE\tcoast\u200b") == "stormwarningforthecoast"


def test_lines_joined_or_split_differently_are_still_found():
    lines = ["Storm hits", "the coast", "Share this", "It rained all night."]
    # the extractor joins the first two lines without a space and splits the last one
    assert align(lines, "Storm hitsthe  coast\nIt rained\nall night.").covered == (1.0, 1.0, 0.0, 1.0)


def test_repeated_text_is_placed_after_the_previous_paragraph():
    lines = ["Share", "The mayor spoke at noon.", "Share"]
    assert kept_lines(lines, "The mayor spoke at noon.\nShare") == [False, True, True]


def test_a_paragraph_not_found_after_the_cursor_is_found_before_it():
    lines = ["Breaking news", "The mayor spoke at noon."]
    assert kept_lines(lines, "The mayor spoke at noon.\nBreaking news") == [True, True]


def test_an_edited_paragraph_is_placed_by_runs_of_words():
    lines = ["Menu", "one two three four five six seven eight", "Footer text"]
    # a marker in front and an edited last word: the whole paragraph is not found; the run
    # "- one two three" is not found either, so its words are placed one by one ("-" nowhere),
    # "four five six seven" is found as a run, "EIGHT!" nowhere: 27 of the line's 32 characters
    covered = align(lines, "- one two three four five six seven EIGHT!").covered
    assert covered == (0.0, 27 / 32, 0.0)
    assert kept_lines(lines, "- one two three four fiv6 six seven eight") == [False, True, False]


def test_a_line_is_kept_only_when_half_of_it_is_covered():
    lines = ["abcd efgh", "ijkl mnop"]
    result = align(lines, "abcd efg\nijk")
    assert result.covered == (7 / 8, 3 / 8)
    assert result.kept() == [True, False]


def test_text_the_page_does_not_show_covers_nothing():
    assert align(["Storm hits", "the coast"], "Subscribe now\n\n   \n").covered == (0.0, 0.0)


# --- the systems on a made page -----------------------------------------------------------------

@pytest.mark.parametrize("cls, expected", [
    (Trafilatura, ARTICLE),
    (Readability, ARTICLE),
    (JusTextHtml, ARTICLE),
    # boilerpipe's ArticleExtractor keeps the last menu item and the copyright line around the article
    (Boilerpipe, [False, False, True, True, True, True, True, True, False]),
], ids=["trafilatura", "readability", "justext", "boilerpipe"])
def test_extractor_on_a_made_page(cls, expected):
    system = cls()
    pred = system.predict(_inputs(_html(PAGE)))
    assert pred.is_content.tolist() == expected
    assert pred.line.tolist() == list(range(9))
    described = system.describe()["details"]
    assert system.describe()["versions"] == {system.library: version(system.library)}
    assert described["plain_text_fallback"]["documents"] == []
    assert described["reads"] == "documents.html"


def test_trafilatura_lines_of_a_list_and_a_table_map_without_its_markers():
    page = PAGE.replace("</article>", "<ul><li>" + PARAS[0] + "</li></ul><table><tr><td>"
                        + PARAS[1] + "</td><td>" + PARAS[2] + "</td></tr></table></article>")
    pred = Trafilatura().predict(_inputs(_html(page)))
    assert pred.is_content.tolist() == ARTICLE[:7] + [True, True, True] + ARTICLE[7:]


def test_plain_text_documents_take_the_declared_fallback_and_say_so():
    text = "Home\nWorld\n" + "\n".join(PARAS) + "\nCopyright 2024 Example News. All rights reserved.\n"
    inputs = _inputs({"plain": (text, None), "page": _html(PAGE)["p"]})
    system = JusTextHtml()
    pred = system.predict(inputs)
    described = system.describe()["details"]
    assert described["plain_text_fallback"] == {"page": "lines-as-paragraphs", "documents": ["plain"]}
    plain = pred[pred.doc_id == "plain"].is_content.tolist()
    assert plain == [False, False, True, True, True, False]
    # on a plain-text document it reads exactly what justext-lines reads
    alone = inputs.subset((inputs.units.doc_id == "plain").to_numpy())
    assert plain == JusTextLines().predict(alone).is_content.tolist()


def test_a_page_without_article_text_is_recorded():
    page = "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>"
    system = JusTextHtml()
    pred = system.predict(_inputs(_html(page)))
    assert not pred.is_content.any()
    assert system.describe()["details"]["no_text_extracted"] == ["p"]


def test_justext_reads_with_the_stoplist_of_the_page_language():
    german = [
        "Der Sturm hat in der Nacht zum Dienstag mehr als zweihundert Häuser an der Küste überflutet, "
        "und die Regierung sagte am Dienstag, dass das Wasser in den tieferen Teilen der Stadt, in denen "
        "die meisten Schäden entstanden sind, noch immer nicht sinkt.",
        "Die Bewohner wurden am Morgen mit Booten zur Schule gebracht, und der Bürgermeister bat alle, "
        "die in der Nähe des Flusses wohnen, vor der nächsten Flut am späten Abend ihre Häuser zu verlassen "
        "und bei ihren Familien oder in der Halle der Schule zu bleiben.",
    ]
    page = f"<html><body><nav><a href='/'>Start</a></nav><p>{german[0]}</p><p>{german[1]}</p></body></html>"
    assert JusTextHtml().predict(_inputs(_html(page), language="de")).is_content.tolist() == [False, True, True]
    assert not JusTextHtml().predict(_inputs(_html(page), language="en")).is_content.any()


def test_extractors_are_registered_under_their_names():
    names = {cls.name: cls for cls in registry.available("boilerplate")}
    assert names["trafilatura"] is Trafilatura and names["readability"] is Readability
    assert names["boilerpipe"] is Boilerpipe and names["justext"] is JusTextHtml
    assert names["justext-lines"] is JusTextLines


def test_a_library_failing_on_a_page_is_recorded_and_the_page_gets_nothing():
    class Failing(Trafilatura):
        def extract(self, markup, language):
            if "Storm" in markup:
                raise ValueError("cannot parse this\nsecond line of the message")
            return super().extract(markup, language)

    system = Failing()
    other = PAGE.replace("Storm floods", "Rain soaks")
    pred = system.predict(_inputs({"bad": (render(PAGE).text, PAGE), "good": (render(other).text, other)}))
    assert not pred[pred.doc_id == "bad"].is_content.any()
    assert pred[pred.doc_id == "good"].is_content.tolist() == ARTICLE
    described = system.describe()["details"]
    assert described["failed"] == {"bad": "ValueError: cannot parse this"}
    assert described["no_text_extracted"] == ["bad"]
