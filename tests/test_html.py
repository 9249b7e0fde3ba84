"""The HTML renderer and the encoding choice: exact lines, XPaths, every encoding path, refusals."""
from __future__ import annotations

import codecs
import re
import gzip

import pytest

from corpus.html.encoding import decode, declared
from corpus.html.render import RENDERER, render
from corpus.ingest import PageError, is_html, read_page, reread_page

PAGE = """<!DOCTYPE html>
<html><head><title>Not shown</title><style>p {color: red}</style>
<script>var shown = false;</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li>World</li></ul></nav>
<!-- a comment -->
<article>
  <h1>Storm   hits
  the coast</h1>
  <p>First <b>bold</b> words&nbsp;and <a href="#">a link</a>.</p>
  <p>Line one<br>line two</p>
  <div hidden>hidden by attribute</div>
  <div style="display: none">hidden by style</div>
  <p style="color:blue">shown with a style</p>
  <noscript>no script</noscript>
  <div>Loose text <p>inner paragraph</p> after it</div>
  <table><tbody><tr><td>cell one</td><td>cell two</td></tr></tbody></table>
  <select><option>first</option><option selected>chosen</option></select>
</article>
</body></html>"""

EXPECTED = [
    ("Home", "/html[1]/body[1]/nav[1]/ul[1]/li[1]"),
    ("World", "/html[1]/body[1]/nav[1]/ul[1]/li[2]"),
    ("Storm hits the coast", "/html[1]/body[1]/article[1]/h1[1]"),
    ("First bold words and a link.", "/html[1]/body[1]/article[1]/p[1]"),
    ("Line one", "/html[1]/body[1]/article[1]/p[2]"),
    ("line two", "/html[1]/body[1]/article[1]/p[2]"),
    ("shown with a style", "/html[1]/body[1]/article[1]/p[3]"),
    ("Loose text", "/html[1]/body[1]/article[1]/div[3]"),
    ("inner paragraph", "/html[1]/body[1]/article[1]/div[3]/p[1]"),
    ("after it", "/html[1]/body[1]/article[1]/div[3]"),
    ("cell one", "/html[1]/body[1]/article[1]/table[1]/tbody[1]/tr[1]/td[1]"),
    ("cell two", "/html[1]/body[1]/article[1]/table[1]/tbody[1]/tr[1]/td[2]"),
    ("chosen", "/html[1]/body[1]/article[1]/select[1]"),
]


def test_renderer_gives_one_line_per_block_with_its_xpath():
    rendered = render(PAGE)
    assert [(line.text, line.xpath) for line in rendered.lines] == EXPECTED
    assert rendered.text == "".join(text + "\n" for text, _ in EXPECTED)


def test_renderer_is_deterministic_and_versioned():
    assert RENDERER == "html-1"  # any change to the rendering rules is a new version
    first = render(PAGE)
    assert all(render(PAGE) == first for _ in range(3))


def test_each_xpath_selects_its_line_in_lxml():
    """The XPaths are real XPath: lxml (a different parser) finds, on the same page, the element
    holding each line's text (the page spells out <tbody>, which libxml2 would not insert)."""
    import lxml.html

    tree = lxml.html.fromstring(PAGE)
    for text, xpath in EXPECTED:
        [element] = tree.getroottree().xpath(xpath)
        assert text.split()[0] in " ".join(element.text_content().split())


def test_deep_nesting_does_not_hit_the_recursion_limit():
    html = "<div>" * 5000 + "deep" + "</div>" * 5000
    [line] = render(html).lines
    assert line.text == "deep" and line.xpath.count("/div[1]") == 5000 - 1 + 1


def test_whitespace_and_nfc_within_a_line():
    [line] = render("<p>  Zu\u0308rich \t\n  and\u00a0\u00a0Bern  </p>").lines
    assert line.text == "Z\u00fcrich and Bern"


def test_cleaneval_wrapper_is_unwrapped():
    html = ('<text id="http://example.org/a" title="T" encoding="utf8">\n<html><head><title>T</title>'
            '</head><body><p>Body</p></body></html>\n</text>\n')
    assert [(l.text, l.xpath) for l in render(html).lines] == [("Body", "/html[1]/body[1]/p[1]")]


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><p>x</p>", b"  <html><body>x</body></html>", b"<!-- c -->\n<html>x",
    b'<text id="u" encoding="utf8"><html><p>x</p></html></text>', b"<HEAD><TITLE>t</TITLE></HEAD>",
    b"\xef\xbb\xbf<html>x</html>", b"junk before <body>x</body>",
])
def test_html_is_recognised_by_content(data):
    assert is_html(data)


@pytest.mark.parametrize("data", [b"A headline\n\nA body with <b> in it? no.\n", b"Plain text only.\n"])
def test_plain_text_is_not_html(data):
    assert not is_html(data)


CAFE = "<html><head>{meta}</head><body><p>Caf\u00e9 \u201cquoted\u201d</p></body></html>"


def test_encoding_declared_in_meta_is_used():
    raw = CAFE.format(meta='<meta charset="windows-1252">').encode("cp1252")
    d = decode(raw)
    assert (d.encoding, d.source) == ("cp1252", "declared")
    assert "Caf\u00e9 \u201cquoted\u201d" in d.text


def test_http_equiv_and_latin1_label_mean_windows_1252():
    raw = CAFE.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">').encode("cp1252")
    assert declared(raw) == "cp1252"  # browsers read ISO-8859-1 as windows-1252 (WHATWG)
    assert decode(raw).text.count("\u201c") == 1


def test_byte_order_mark_wins():
    raw = codecs.BOM_UTF16_LE + CAFE.format(meta='<meta charset="iso-8859-1">').encode("utf-16-le")
    d = decode(raw)
    assert (d.encoding, d.source) == ("utf-16-le", "bom")
    assert "Caf\u00e9" in d.text


def test_undeclared_non_utf8_is_detected():
    body = ("<html><body>" + "<p>The minister said \u201cenough\u201d and the people\u2019s voice was "
            "heard across the country.</p>" * 20 + "</body></html>")
    d = decode(body.encode("cp1252"))
    assert (d.encoding, d.source) == ("cp1252", "detected")
    assert "\u201cenough\u201d" in d.text


def test_undeclared_utf8_is_utf8():
    d = decode(CAFE.format(meta="").encode("utf-8"))
    assert (d.encoding, d.source) == ("utf-8", "undeclared-utf-8")


def test_wrong_legacy_declaration_over_utf8_bytes_does_not_make_mojibake():
    raw = CAFE.format(meta='<meta charset="iso-8859-1">').encode("utf-8")
    d = decode(raw)
    assert (d.encoding, d.source) == ("utf-8", "utf-8-over-declared")
    assert "Caf\u00e9" in d.text and "Caf\u00c3" not in d.text


def test_wrong_utf8_declaration_over_legacy_bytes_falls_back_to_the_bytes():
    body = ('<html><head><meta charset="utf-8"></head><body>' + "<p>Il a dit \u00ab d\u00e9j\u00e0 vu \u00bb "
            "\u00e0 la t\u00e9l\u00e9vision fran\u00e7aise.</p>" * 20 + "</body></html>")
    d = decode(body.encode("cp1252"))
    assert d.source == "detected"
    assert "d\u00e9j\u00e0 vu" in d.text


def test_gzip_page_is_read_by_content_and_keeps_its_flag():
    raw = gzip.compress(CAFE.format(meta='<meta charset="utf-8">').encode(), mtime=0)
    page = read_page(raw)
    assert (page.format, page.compressed, page.text) == ("html", True, "Caf\u00e9 \u201cquoted\u201d\n")
    assert page.xpaths == ("/html[1]/body[1]/p[1]",)


def test_reread_uses_the_recorded_encoding_and_renderer():
    raw = CAFE.format(meta="").encode("cp1252")
    assert reread_page(raw, "html", "cp1252", RENDERER).text == "Caf\u00e9 \u201cquoted\u201d\n"
    with pytest.raises(PageError, match="renderer 'html-0'"):
        reread_page(raw, "html", "cp1252", "html-0")
    with pytest.raises(PageError, match="recorded 'utf-8'"):
        reread_page(raw, "html", "utf-8", RENDERER)


@pytest.mark.parametrize("raw, message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL byte at byte 8: a binary file"),
    ("<p>x</p>".encode("utf-16-le"), "NUL byte at byte 1"),
    (b"<html><head><title>only a title</title></head><body>  </body></html>", "the page has no visible text"),
    (b"<html><body><script>var a = 1;</script></body></html>", "the page has no visible text"),
    (b"\x1f\x8b\x08\x00garbage", "gzip data is corrupt or truncated"),
    (b"caf\xe9 plain", "not UTF-8 (byte 3) and not HTML"),
    (b"text with a \x07 bell\n", "control character U+0007"),
])
def test_refusals_have_a_one_line_reason(raw, message):
    with pytest.raises(PageError, match="^" + re.escape(message)):
        read_page(raw)
