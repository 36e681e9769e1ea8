"""Work WeasyPrint 70 does for every document that our documents never use, left out.

Measured with callgrind on the sample's slides PDF (13 pages, ``pdfout.write_pdf`` in a
warmed process: 1.52 G instructions before, 1.29 G after), each of these was a few
percent of it, and each leaves the PDF's bytes as they were (``tests/test_weasytrim.py``
renders with and without):

- **Margin boxes** (``margin_boxes_when_styled``): WeasyPrint makes the sixteen margin
  boxes of every page (``@top-left``, ``@bottom-center``...), resolving their styles and
  percentages, and then drops the ones with no content. A page whose ``@page`` rules
  give none of them content (every page of the slides PDF and the carousel) gets none: 111 M
  instructions. A page with any margin box given content (the handout's page numbers) is
  made as WeasyPrint makes it, all sixteen.
- **Object data** (``object_data_once``): pydyf 0.13 serialises every PDF object twice
  when the file has an identifier, as ours do (``pdfout.identifier``): once to write
  it, once more to hash the whole file for the identifier's second half, compressing
  every stream again (zlib, level 9). While a PDF is written, an object's data is kept
  after the first time: 68 M. Only the objects of that PDF's own list, which nothing
  changes while it is written, are kept; the rest (a dictionary inside a dictionary)
  are made as before.
- **Pseudo-elements** (``lean_user_agent_sheet``): WeasyPrint's default stylesheet gives
  every element a ``::marker``, ``::footnote-call``, ``::footnote-marker``,
  ``::note-call``, ``::note-marker`` and ``::note-callback``, and WeasyPrint computes
  a style for each of the six, for every element: seven styles an element. Only a list
  item draws a marker, and only an element floated to a footnote (``float:
  footnote``) or placed in a note (``position: note()``) draws the others. A document
  that names neither (nor ``list-item`` for some other element) is given that
  stylesheet with its marker rules kept for ``li`` and the note rules left out.
  The rest of the sheet is WeasyPrint's, as parsed by WeasyPrint (no copy of its text): 54 M.

``install`` applies the first two once per process (``weasy.load`` calls it); the
third is chosen per document by ``pdfout`` (``lean_user_agent_sheet``).

Each reaches into the internals of one version of WeasyPrint, pydyf and cssselect2
(``MADE_FOR``, pinned in requirements.txt). With any other version installed, none is
applied (``made_for_these``): WeasyPrint then does all its work, slower but whole,
rather than a change made for other code silently dropping or breaking something.
"""

from __future__ import annotations

import copy
import re
import threading
import types

#: The versions whose internals these changes were written against and measured on.
MADE_FOR = {"weasyprint": "70.0", "pydyf": "0.13.0", "cssselect2": "0.10.1"}


def made_for_these() -> bool:
    """Whether the imported WeasyPrint, pydyf and cssselect2 are the versions of ``MADE_FOR``."""
    import sys

    return all(getattr(sys.modules.get(name), "__version__", None) == version for name, version in MADE_FOR.items())


#: The margin boxes WeasyPrint makes for each page (``layout.page.make_margin_boxes``).
MARGIN_BOXES = tuple(f"@{side}-{where}" for side in ("top", "bottom") for where in ("left", "center", "right")) + \
    tuple(f"@{side}-{where}" for side in ("left", "right") for where in ("top", "middle", "bottom")) + \
    tuple(f"@{corner}-corner" for corner in ("top-left", "top-right", "bottom-left", "bottom-right"))

#: A margin box's ``content`` that WeasyPrint does not generate a box for (as it decides).
_NOT_GENERATED = ("normal", "inhibit", "none")

#: Pseudo-elements WeasyPrint only draws for footnotes and notes.
NOTE_PSEUDOS = frozenset(("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"))

#: What in a document's stylesheet or HTML could make those pseudo-elements, or a marker
#: on an element other than ``li``, appear: such a document keeps WeasyPrint's full sheet.
#: So does one that brings in a stylesheet not scanned here (``@import``, ``<link>``, as a
#: customised template may): without the sheet's note rules, WeasyPrint 70 fails with a
#: TypeError on a footnote such a stylesheet makes.
_NEEDS_FULL_SHEET = re.compile(r"footnote|note\(|list-item|@import|<link\b", re.IGNORECASE)


def margin_boxes_when_styled(layout_module: types.ModuleType) -> None:
    """Make ``layout_module.make_margin_boxes`` (what ``layout_document`` calls) skip a
    page none of whose margin boxes has a style of its own: WeasyPrint would make each
    and find nothing to draw (its content is ``normal``, so not generated)."""
    original = layout_module.make_margin_boxes
    if getattr(original, "_triptych_trim", False):
        return

    def make_margin_boxes(context, page, state):
        for keyword in MARGIN_BOXES:
            style = context.style_for(page.page_type, keyword)
            if style is not None and style["content"] not in _NOT_GENERATED:
                return original(context, page, state)
        return iter(())

    make_margin_boxes._triptych_trim = True  # type: ignore[attr-defined]
    make_margin_boxes.__wrapped__ = original  # type: ignore[attr-defined]
    layout_module.make_margin_boxes = make_margin_boxes


#: The PDF being written, per thread (``object_data_once``).
_WRITING = threading.local()


def object_data_once(pydyf) -> None:
    """Make pydyf compute each object of a PDF's list once while ``PDF.write`` runs."""
    pdf_class = pydyf.PDF
    if getattr(pdf_class.write, "_triptych_trim", False):
        return
    for cls in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String):
        getter = cls.__dict__["data"].fget

        def data(self, getter=getter):
            objects = getattr(_WRITING, "objects", None)
            number = self.number
            # An object of the PDF being written is at its number in the PDF's list.
            if objects is None or number is None or number >= len(objects) or objects[number] is not self:
                return getter(self)
            memo = _WRITING.memo
            if number not in memo:
                memo[number] = getter(self)
            return memo[number]

        data.__wrapped__ = getter  # type: ignore[attr-defined]
        cls.data = property(data)
    write = pdf_class.write

    def write_once(self, *args, **kwargs):
        outer = getattr(_WRITING, "objects", None), getattr(_WRITING, "memo", None)
        _WRITING.objects, _WRITING.memo = self.objects, {}
        try:
            return write(self, *args, **kwargs)
        finally:
            _WRITING.objects, _WRITING.memo = outer

    write_once._triptych_trim = True  # type: ignore[attr-defined]
    write_once.__wrapped__ = write  # type: ignore[attr-defined]
    pdf_class.write = write_once


def install(weasyprint: types.ModuleType) -> None:
    """Apply the per-process changes (margin boxes, object data) to an imported WeasyPrint."""
    import pydyf
    import weasyprint.layout as layout

    if not made_for_these():
        return
    margin_boxes_when_styled(layout)
    object_data_once(pydyf)


#: The lean default stylesheet, made from WeasyPrint's on first use.
_LEAN_SHEET = None


def _lean_sheet():
    global _LEAN_SHEET
    if _LEAN_SHEET is None:
        from weasyprint.html import UA_STYLESHEET

        full = UA_STYLESHEET.matcher
        matcher = copy.copy(full)
        matcher.lower_local_name_selectors = dict(full.lower_local_name_selectors)
        # A selector of no element name, class or id (``::marker``) is tried on every
        # element; kept for list items only, and the note ones dropped.
        matcher.other_selectors = [entry for entry in full.other_selectors
                                   if entry[3] not in NOTE_PSEUDOS and entry[3] != "marker"]
        markers = [entry for entry in full.other_selectors if entry[3] == "marker"]
        matcher.lower_local_name_selectors["li"] = full.lower_local_name_selectors.get("li", []) + markers
        sheet = copy.copy(UA_STYLESHEET)
        sheet.matcher = matcher
        _LEAN_SHEET = sheet
    return _LEAN_SHEET


def lean_user_agent_sheet(document, html: str, css: str) -> None:
    """Give the WeasyPrint ``document`` (an ``HTML``) the lean default stylesheet (see
    the module docstring) unless its ``html`` or ``css`` names footnotes, notes or
    ``list-item``, or brings in a stylesheet of its own (``@import``, ``<link>``), or
    WeasyPrint is not the version it was made for. Forms keep WeasyPrint's form sheet after it."""
    if not made_for_these() or _NEEDS_FULL_SHEET.search(css) or _NEEDS_FULL_SHEET.search(html):
        return
    lean = _lean_sheet()
    full = type(document)._ua_stylesheets

    def sheets(forms: bool = False):
        return [lean] + full(document, forms)[1:]

    document._ua_stylesheets = sheets
