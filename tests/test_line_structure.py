"""The page-structure features and the learned line classifier, on small HTML pages made here:
exact features by hand, and a template learned from training pages and recognised on new ones."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from corpus.html.render import render
from labels.scheme import CONTENT_ROLES
from labels.text import units as text_units
from baselines import registry
from baselines.features.page_structure import line_blocks, name_words, page_line_features, structure
from baselines.systems.boilerplate import LineLogReg
from baselines.systems.line_structure import LineStructure
from baselines.tasks import TaskInput

SMALL = ("<html><body><nav id='mainNav' class='site-menu'><a href='/'>Home</a> <a href='/w'>World</a></nav>"
         "<div class='entry-content'><p>It rained <a href='/r'>all night</a>.</p><p>Dry now.</p></div>"
         "</body></html>")


def _inputs(pages: dict[str, str | None], texts: dict[str, str] | None = None) -> TaskInput:
    """Documents from HTML (rendered) or, where the html is None, from the given plain text."""
    texts = texts or {}
    docs = pd.DataFrame({"doc_id": list(pages), "html": list(pages.values()),
                         "text": [render(h).text if h else texts[d] for d, h in pages.items()]})
    rows = [(d, u.line, u.start, u.end, u.text) for d, t in zip(docs.doc_id, docs.text) for u in text_units(t)]
    return TaskInput(docs, pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"]))


def test_name_words_split_at_punctuation_and_camel_case():
    assert name_words("mainNav side-bar_2 HTMLParser") == {"main", "nav", "side", "bar", "2", "html", "parser"}


def test_structure_of_each_line_by_hand():
    lines = [line.text for line in render(SMALL).lines]
    assert lines == ["Home World", "It rained all night.", "Dry now."]
    blocks = line_blocks(SMALL, lines)
    assert blocks[0].tags == ("html", "body", "nav")
    assert blocks[0].names == {"main", "nav", "site", "menu"}
    assert blocks[0].link_density == 1.0
    assert blocks[1].tags == ("html", "body", "div", "p") and blocks[1].names == {"entry", "content"}
    assert blocks[1].link_density == len("allnight") / len("Itrainedallnight.")
    assert structure(blocks[2], "Dry now.") == {
        "text_density": 2.0, "depth": 4.0, "link_density": 0.0, "tag=p": 1.0, "parent=div": 1.0,
        "in=html": 1.0, "in=body": 1.0, "in=div": 1.0, "in=p": 1.0, "name=entry": 1.0, "name=content": 1.0}


def test_no_markup_or_a_text_the_renderer_does_not_reproduce_has_no_structure():
    assert line_blocks(None, ["a"]) is None
    assert line_blocks(SMALL, ["Home World", "It rained all night.", "Wet now."]) is None
    assert structure(None, "Two words") == {"text_density": 2.0, "no_markup": 1.0}


def test_neighbours_come_from_the_whole_document_whatever_units_are_asked():
    inputs = _inputs({"d": SMALL})
    middle = inputs.subset((inputs.units.line == 1).to_numpy())
    alone, = page_line_features(middle.units, middle.documents)
    assert alone == page_line_features(inputs.units, inputs.documents)[1]
    assert alone["prev:link_density"] == 1.0 and alone["prev:words"] == 2.0
    assert alone["next:same_block"] == 0.0 and "prev:none" not in alone


# --- a template learned --------------------------------------------------------------------------

WORDS = ("the of and to in a that is was for on with as it by at from his her their this which "
         "council river storm school market police minister village station harbour report week year "
         "people water road bridge hospital farmers workers officials residents morning evening").split()


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def templated_page(rng: random.Random) -> tuple[str, list[str]]:
    """A page of one site's template and its gold role per rendered line. The sidebar's blurbs are
    prose made like the article's paragraphs (same words, lengths and full stops) and carry no links,
    so only where they sit tells them apart."""
    paras = [_sentence(rng, 8, 40) for _ in range(rng.randint(3, 6))]
    blurbs = [_sentence(rng, 8, 40) for _ in range(rng.randint(2, 4))]
    menu = ["Home", "World", "Business", "Sport"]
    html = ("<html><body><header class='site-header'><nav id='mainNav'><ul>"
            + "".join(f"<li><a href='/{m.lower()}'>{m}</a></li>" for m in menu) + "</ul></nav></header>"
            + "<div class='layout'><main><article class='post'>"
            + f"<h1 class='entry-title'>{_sentence(rng, 5, 10)[:-1]}</h1><div class='entry-content'>"
            + "".join(f"<p>{p}</p>" for p in paras) + "</div></article></main>"
            + "<aside class='sidebar'><div class='widget more-stories'>"
            + "".join(f"<p>{b}</p>" for b in blurbs) + "</div></aside></div>"
            + f"<footer class='site-footer'><p>{_sentence(rng, 8, 20)}</p></footer></body></html>")
    roles = ["navigation"] * len(menu) + ["headline"] + ["body"] * len(paras) + ["related"] * len(blurbs) + ["other"]
    return html, roles


def _corpus(seed: int, n: int, prefix: str) -> tuple[TaskInput, pd.DataFrame]:
    rng = random.Random(seed)
    pages = {f"{prefix}{i}": templated_page(rng) for i in range(n)}
    inputs = _inputs({d: html for d, (html, _) in pages.items()})
    roles = [r for _, rs in pages.values() for r in rs]
    assert len(roles) == len(inputs.units)  # one gold role per rendered line
    gold = inputs.units[["doc_id", "line"]].assign(role=roles, is_content=[r in CONTENT_ROLES for r in roles])
    return inputs, gold


@pytest.fixture(scope="module")
def template():
    return _corpus(1, 6, "train"), _corpus(2, 3, "new")


def test_learns_a_template_and_recognises_it_on_new_pages(template):
    (train, train_gold), (new, new_gold) = template
    system = LineStructure(seed=0)
    system.fit(train, train_gold)
    pred = system.predict(new)
    assert pred[["doc_id", "line"]].equals(new_gold[["doc_id", "line"]])
    assert pred.is_content.tolist() == new_gold.is_content.tolist()
    assert pred.role.tolist() == new_gold.role.tolist()


def test_text_features_alone_do_not_separate_the_sidebar(template):
    (train, train_gold), (new, new_gold) = template
    system = LineLogReg(seed=0)
    system.fit(train, train_gold)
    pred = system.predict(new)
    wrong = (pred.is_content != new_gold.is_content) & (new_gold.role == "related")
    assert wrong.any()


def test_plain_text_documents_are_read_without_structure(template):
    (train, train_gold), _ = template
    system = LineStructure(seed=0)
    system.fit(train, train_gold)
    plain = _inputs({"p": None}, {"p": "Home\n" + _sentence(random.Random(3), 20, 30) + "\n"})
    features = page_line_features(plain.units, plain.documents)
    assert all(f["no_markup"] == 1.0 for f in features)
    assert system.predict(plain).line.tolist() == [0, 1]


def test_registered_as_a_learned_system():
    cls, = [c for c in registry.available("boilerplate") if c.name == "line-structure"]
    assert cls is LineStructure and cls.learned and cls.tuned_on == "none"


def test_votes_are_the_extractors_verdicts_on_each_line(template):
    from baselines.systems.extractors import JusTextHtml, Trafilatura
    from baselines.systems.line_structure import LineStructureVotes

    (train, train_gold), (new, _) = template
    some = new.subset((new.units.doc_id == "new0").to_numpy() & (new.units.line % 2 == 0).to_numpy())
    features = LineStructureVotes(seed=0).features(some.units, some.documents)
    for voter in (Trafilatura, JusTextHtml):
        whole = voter().predict(new.subset((new.units.doc_id == "new0").to_numpy()))
        expected = whole[whole.line % 2 == 0].is_content.astype(float).tolist()
        assert [f["vote=" + voter.name] for f in features] == expected
    assert 0 < sum(f["vote=trafilatura"] for f in features) < len(features)  # it votes both ways here
    system = LineStructureVotes(seed=0)
    system.fit(train, train_gold)
    assert system.predict(some).line.tolist() == some.units.line.tolist()
