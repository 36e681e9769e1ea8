"""The text a reader sees in HTML, read with the standard library's parser: how the page
and the article (its Markdown rendered by stock Python-Markdown) are read back for the
parity check, independently of how they were written."""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements after which a reader sees a line break.
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption",
                     "caption", "tr", "dt", "dd", "div", "section", "article", "header", "footer",
                     "figure", "ul", "ol", "table", "br", "hr", "title"})
#: Elements whose text a reader never sees on the page.
_HIDDEN = frozenset({"head", "style", "script", "template"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.hidden:
                self.parts.append(alt)

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text a browser shows for ``html``: character references decoded, ``<head>``,
    styles and scripts left out, image alt text kept, one line per block element,
    whitespace inside a line collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


__all__ = ["html_text"]
