"""Slides, apart from any one output: the plan, its measured layout, and the slides as HTML.

- ``plan``: which slides a talk gets (``templates/deck.yaml.j2``), read back and checked;
- ``layout``: the plan's slides measured with the theme's fonts and placed (``lay_out``);
- ``shapes``: what a laid-out slide holds (boxes, text, tables, pictures), and ``lines``,
  the lines a paragraph wraps to;
- ``html``: the slides as HTML and CSS (``render_slides``), for every output that shows
  a slide and is not the .pptx (the slides PDF, the handout's slide cards, the preview).

The deck (``triptych.writers.deck``) draws the same layout with python-pptx, so a slide
shows the same text on the same lines everywhere. Nothing here imports python-pptx,
except ``html.render_slides`` for a theme with a user's master, whose frames it reads.
"""

from .html import RenderedSlides, render_slides

__all__ = ["RenderedSlides", "render_slides"]
