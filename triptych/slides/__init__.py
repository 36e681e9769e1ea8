"""Slides, apart from any one output: the plan, its measured layout, and the slides as HTML.

- ``plan``: which slides a talk gets (``templates/deck.yaml.j2``), read back and checked;
- ``layout``: the plan's slides measured with the theme's fonts and placed (``lay_out``);
- ``shapes``: what a laid-out slide holds (boxes, text, tables, pictures), and ``lines``,
  the lines a paragraph wraps to;
- ``html``: the slides as HTML and CSS (``render_slides``), for every output that shows
  a slide and is not the .pptx (the slides PDF, the handout's slide cards, the preview).

The deck (``triptych.writers.deck``) draws the same layout with python-pptx, so a slide
shows the same text on the same lines everywhere. Nothing here imports python-pptx or
any writer: a theme with a user's master has its frames read by the deck writer, and the
caller passes the slides so laid out (``writers.slides.lay_out``).
"""

from .html import RenderedSlides, render_slides

__all__ = ["RenderedSlides", "render_slides"]
