"""WeasyPrint, imported on demand and with one measured trap in its PDF writer disarmed.

``load()`` imports WeasyPrint (0.4 s on this project's machine, so only a build that
prints a PDF pays it) and, once per process, memoises pydyf's ``PDF.page_references``.

The trap: pydyf (0.13, WeasyPrint 70's PDF object writer) rebuilds the tuple of every
page's reference each time ``page_references`` is read, and WeasyPrint's PDF/UA tagging
reads it once per structure element. That is pages x elements: for a 500-section
handout (336 pages, about 34,000 elements) 1.0 s of a 4.1 s PDF write, growing with the
square of the talk's length. The memo hands back the tuple pydyf's own getter built
while the page list is unchanged (pages are only ever appended, so its length is the
version), which gives byte-identical PDFs; ``tests/test_weasy.py`` holds it to that. If
a later pydyf makes the attribute cheap (no longer a property), nothing is changed.
"""

from __future__ import annotations

import gc
import types

_MEMO = "_triptych_page_references"


def _memoise_page_references(pdf_class: type) -> None:
    original = pdf_class.__dict__.get("page_references")
    if not isinstance(original, property) or getattr(original.fget, "_triptych_memo", False):
        return

    def page_references(self):
        count = len(self.pages["Kids"])
        memo = self.__dict__.get(_MEMO)
        if memo is None or memo[0] != count:
            memo = (count, original.fget(self))
            self.__dict__[_MEMO] = memo
        return memo[1]

    page_references._triptych_memo = True  # type: ignore[attr-defined]
    page_references.__wrapped__ = original.fget  # type: ignore[attr-defined]
    pdf_class.page_references = property(page_references)


def load() -> types.ModuleType:
    """The ``weasyprint`` module, with pydyf's page references memoised (see above).

    The first import runs with the cyclic garbage collector off: it creates some hundred
    thousand objects (cffi parsing WeasyPrint's C declarations), each batch of which
    would set off a collection that finds no garbage; 0.02 to 0.04 s of the 0.4 s."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        import pydyf
        import weasyprint
    finally:
        if enabled:
            gc.enable()
    _memoise_page_references(pydyf.PDF)
    return weasyprint


__all__ = ["load"]
