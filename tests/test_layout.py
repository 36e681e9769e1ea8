"""The slide layout (triptych/slides/layout.py) measured directly: where the pieces of a
slide go, in points, before any writer draws them."""

from __future__ import annotations

import textwrap

from triptych import fit
from triptych.loader import load
from triptych.slides.layout import lay_out_talk
from triptych.slides.shapes import Rect, Text
from triptych.theme import load_theme
from triptych.writers import Context
from tests.conftest import TEMPLATES


def slide_titled(tmp_path, text: str, title: str):
    path = tmp_path / "talk.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    ctx = Context(TEMPLATES, load_theme(TEMPLATES / "theme.yaml"), {}, lambda message: None)
    slides = lay_out_talk(load(path), ctx)
    return next(s for s in slides if s.title.paras[0].text.startswith(title)), ctx


def test_comparison_cards_are_as_tall_as_the_longer_side_needs(tmp_path):
    slide, ctx = slide_titled(tmp_path, """
        title: T
        author: A
        sections:
          - title: Side by side
            compare:
              - {title: Left, points: [One, Two, Three]}
              - {title: Right, points: [One, Two, Three, "Four, a point long enough to take two lines of its card"]}
        """, "Side by side")
    cards = [s for s in slide.shapes if isinstance(s, Rect) and s.name == "Card"]
    points = [s for s in slide.shapes if isinstance(s, Text) and s.name == "Column points"]
    footer = next(s for s in slide.shapes if isinstance(s, Text) and s.name == "Footer")
    assert len(cards) == 2 and (cards[0].box.y, cards[0].box.h) == (cards[1].box.y, cards[1].box.h)
    book = fit.FontBook(ctx.theme)
    longest = max(fit.total_height(list(p.paras), p.box.w, book) for p in points)
    for card, text in zip(cards, points):
        assert text.box.y + longest <= card.box.bottom  # the longer side's points are inside its card,
        assert card.box.bottom - (text.box.y + longest) <= 16 + ctx.theme.sizes["body"] + 0.5  # a margin below them,
        assert card.box.bottom <= footer.box.y - 100  # and the card ends well above the footer


def test_comparison_cards_never_grow_past_the_content_area(tmp_path):
    points = ", ".join(f"Point {n} of a long side that runs on" for n in range(30))
    slide, _ = slide_titled(tmp_path, f"""
        title: T
        author: A
        sections:
          - title: Long sides
            compare:
              - {{title: Left, points: [{points}]}}
              - {{title: Right, points: [One]}}
        """, "Long sides")
    footer = next(s for s in slide.shapes if isinstance(s, Text) and s.name == "Footer")
    cards = [s for s in slide.shapes if isinstance(s, Rect) and s.name == "Card"]
    assert all(card.box.bottom <= footer.box.y for card in cards)
