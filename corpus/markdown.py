"""Markdown tables whose cells cannot break them: a `|` or a line break in a publisher's name,
a licence note or a system id is escaped, not taken as table syntax."""
from __future__ import annotations


def cell(value: object) -> str:
    text = str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split()) if any(c in text for c in "\r\n\t") else text


def table(header: list, rows: list[list]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
