"""The .pptx file: the master it starts from, its properties, its bytes, and reading it back.

The built-in look starts from python-pptx's template (its layouts carry the standard
PowerPoint names) at the theme's slide size; a user's master (.pptx, or .potx retyped
as a presentation) is opened as it is, without its example slides. The saved package is
rewritten with fixed entry times, modes and order, without the template's thumbnail and
with an app.xml of our own, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from pptx import Presentation

from ... import dates, markup
from ...errors import ContentError
from ...files import display_path
from ...model import Talk
from . import ooxml
from .geometry import emu

TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>triptych</Application><Slides>{slides}</Slides><Notes>{notes}</Notes>'
            '</Properties>')


def open_master(theme) -> tuple[object, bool]:
    """The presentation to add slides to, and whether it is the user's master.

    Raises ``ContentError`` (at the master's path) when the master cannot be opened."""
    if theme.master is None:
        prs = Presentation()
        prs.slide_width = emu(theme.slide_width * 72)
        prs.slide_height = emu(theme.slide_height * 72)
        ooxml.make_size_custom(prs)  # the template says "screen4x3"; the size is now custom
        ooxml.set_link_colours(prs, theme.colors["accent"])  # links on slides, as text.Style draws them
        ooxml.remember_partnames(prs)
        return prs, False
    path = Path(theme.master)
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".potx":
            data = as_presentation(data)
        prs = Presentation(io.BytesIO(data))
    except zipfile.BadZipFile:  # a .pptx is a zip archive: this one is something else
        raise ContentError.one(display_path(path), 0, "master",
                               "is not a PowerPoint file: a .pptx or .potx is a zip archive, and this is not one; "
                               "save your master from PowerPoint as .pptx or .potx") from None
    except Exception as err:  # a broken master is the user's file, not our bug
        raise ContentError.one(display_path(path), 0, "master", f"cannot open the master: {err}") from None
    # A master may carry example slides: the deck keeps its layouts, not its slides.
    ooxml.drop_slides(prs)
    ooxml.remember_partnames(prs)  # after the drop: no part is removed from here on
    return prs, True


def as_presentation(data: bytes) -> bytes:
    """A .potx package with its main part retyped as a presentation, so python-pptx opens it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(TEMPLATE_TYPE, PRESENTATION_TYPE)
            target.writestr(info.filename, content)
    return out.getvalue()


def _stamp(talk: Talk) -> dt.datetime:
    """The deck's created/modified time (``dates.stamp``, else 1980-01-01), as the naive
    UTC datetime python-pptx writes."""
    return (dates.stamp(talk) or dates.EPOCH_1980).replace(tzinfo=None)


#: python-pptx refuses a core property longer than this (a ValueError, no field named).
PROPERTY_CHARS = 255


def _property(text: str) -> str:
    """``text`` as a core property: whole when it fits ``PROPERTY_CHARS``, else cut at the
    last whole word that fits, with an ellipsis (a 300-character title is allowed)."""
    if len(text) <= PROPERTY_CHARS:
        return text
    cut = text.rfind(" ", 0, PROPERTY_CHARS)
    return (text[:cut] if cut > 0 else text[:PROPERTY_CHARS - 1]).rstrip(" ,;:") + "\u2026"


def set_core_properties(prs, talk: Talk) -> None:
    """Title, author, subject, keywords, language and dates from the content; nothing else.
    Each text is at most ``PROPERTY_CHARS`` long (cut at a word, with an ellipsis)."""
    props = prs.core_properties
    props.title = _property(talk.title)
    props.author = _property(talk.author.name)
    props.subject = _property(markup.to_plain(talk.subtitle))
    props.keywords = _property(", ".join(talk.tags))
    props.language = talk.lang
    props.comments = ""
    props.category = ""
    props.last_modified_by = _property(talk.author.name)
    props.revision = 1
    props.created = props.modified = _stamp(talk)


def save(prs) -> bytes:
    """``prs`` as reproducible .pptx bytes (see the module's docstring)."""
    buffer = io.BytesIO()
    prs.save(buffer)
    notes = sum(1 for slide in prs.slides if slide.has_notes_slide)
    return _reproducible(buffer.getvalue(), len(prs.slides), notes)


def _reproducible(data: bytes, slides: int, notes: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if n != "docProps/thumbnail.jpeg"]
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in first + sorted(n for n in names if n not in first):
            content = source.read(name)
            if name == "_rels/.rels":
                content = re.sub(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"[^>]*/>', b"", content)
            elif name == "[Content_Types].xml":
                content = re.sub(rb'<Override PartName="/docProps/thumbnail.jpeg"[^>]*/>', b"", content)
            elif name == "docProps/app.xml":
                content = _APP_XML.format(slides=slides, notes=notes).encode()
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, content, compresslevel=6)
    return out.getvalue()


def chart_text(chart) -> list[str]:
    """What a chart shows, read from its XML: its title, its categories, each series' name
    (when it has several: a single series is named nowhere on the slide) and each value
    as its data labels write it, with the unit of their number format (``46 %``)."""
    from ...charts.words import value_text
    from .chart import unit_of

    lines = [chart.chart_title.text_frame.text] if chart.has_title else []
    plot = chart.plots[0]
    unit = unit_of(plot.data_labels.number_format) if plot.has_data_labels else ""
    lines += [str(label) for label in plot.categories]
    series = list(plot.series)
    for one in series:
        if len(series) > 1:
            lines.append(one.name)
        lines += [value_text(v, unit) for v in one.values if v is not None]
    return [line for line in lines if line.strip()]


def read_text(path: Path) -> str:
    """Every slide's text, then its notes, in slide order: one line per paragraph or table
    cell, shapes in reading (document) order, and what each chart shows (``chart_text``).
    Line breaks inside a paragraph become spaces."""
    prs = Presentation(str(path))
    lines: list[str] = []

    def paragraphs(text_frame) -> None:
        for paragraph in text_frame.paragraphs:
            text = paragraph.text.replace("\v", " ").strip()
            if text:
                lines.append(text)

    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                paragraphs(shape.text_frame)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        paragraphs(cell.text_frame)
            elif getattr(shape, "has_chart", False) and shape.has_chart:
                lines.extend(chart_text(shape.chart))
        if slide.has_notes_slide:
            paragraphs(slide.notes_slide.notes_text_frame)
    return "\n".join(lines) + "\n"
