"""Charts: a section's ``chart:`` part, from the content to every output.

- ``data``: the part's schema and its CSV file, read into ``model.Chart`` with every
  problem reported (``path:line: field: message``, a CSV's own line and column);
- ``words``: how numbers are written (``value_text``), the data as sentences (the
  alt text made from the data, the article's list), the palette, the warnings;
- ``draw``: the chart as SVG (page, handout, slides PDF, carousel) and PNG (article),
  drawn with matplotlib, which is imported only when a talk has a chart.

The deck draws its native, editable chart with python-pptx
(``triptych.writers.deck.chart``).
"""
