"""Markdown tables in the card and the leaderboard: a cell's `|` or line break never breaks the table."""
from __future__ import annotations

from collections import Counter

from corpus import card
from corpus.markdown import cell, table
from corpus.sources import Sources
from corpus.summary import Summary


def test_cells_escape_pipes_and_fold_line_breaks():
    assert cell("Smith | Jones") == "Smith \\| Jones"
    assert cell("CC BY 4.0\nsee site\r\n\tnotes") == "CC BY 4.0 see site notes"
    assert cell("a\\|b") == "a\\\\\\|b"  # a literal backslash stays a backslash before the escaped pipe
    assert cell(3) == "3"
    assert table(["a|b", "c"], [["x\ny", "|"]]) == "| a\\|b | c |\n|---|---|\n| x y | \\| |\n"


def test_a_publisher_or_licence_with_a_pipe_or_newline_keeps_the_card_table_whole(tmp_path):
    summary = Summary(version="9.9.9", fingerprint="f" * 16, documents=Counter({"test": 2}),
                      publishers=Counter({("Pipe | News", "CC BY\nSA"): 1, ("Plain", "none"): 1}),
                      attribution=[("d1", "Pipe | News", "2020-01-02", "https://example.org/a|b", "CC BY\nSA"),
                                   ("d2", "Plain", None, None, "none")])
    text = card.render(summary, Sources.at(tmp_path))
    section = text[text.index("## Source and licence of each document"):text.index("## Baseline leaderboard")]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows == ["| publisher | licence note | documents |", "|---|---|---|",
                    "| Pipe \\| News | CC BY SA | 1 |", "| Plain | none | 1 |",
                    "| document | publisher | date | URL | licence |", "|---|---|---|---|---|",
                    "| `d1` | Pipe \\| News | 2020-01-02 | https://example.org/a\\|b | CC BY SA |",
                    "| `d2` | Plain |  |  | none |"]
    assert "- **Corpus size.** 2 documents from 2 publishers (test: 2)." in text
