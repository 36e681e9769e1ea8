"""Every edit of the deck's XML that python-pptx has no public API for, in one place.

python-pptx covers shapes, text, fills and tables; what it leaves out (bullet characters
and hanging indents, right-to-left paragraphs and tables, a run's language, the slide-number field, reading order, a table's
style, a picture's or chart's alt text, the presentation's size type, a master's example
slides, the date inside a chart's workbook) is
done here on its lxml elements (``_element``, ``_p``, ``_r``, ``_spTree``, ``qn``). The rest
of the writer calls these functions and never touches the XML, so an upgrade of
python-pptx that moves its internals is a change to this module only.

Three of python-pptx's slow paths are also taken here, to the same bytes: part names
are remembered (``remember_partnames``), and a paragraph's spacing and a run's look are
made by python-pptx once and copied (``set_spacing``, ``add_run``).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Callable

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import _Paragraph
from pptx.util import Emu

#: "No Style, No Grid": the deck fills table cells itself.
NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
_SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_BULLET_TAGS = ("a:buClr", "a:buFont", "a:buChar", "a:buNone", "a:buAutoNum")


#: A run's look (``add_run``'s ``key``) -> the ``a:r`` python-pptx made for it, text aside.
_RUNS: dict[tuple, object] = {}


def add_run(paragraph, text: str, key: tuple, style: Callable[[object], None]) -> None:
    """Append a run of ``text`` to ``paragraph``, its look set by ``style(run)`` with
    python-pptx's API: called on a scratch run once per distinct ``key`` (which must hold
    everything ``style`` sets), whose element is copied from then on. python-pptx's font
    setters each find their element's place among those that may follow it, about a
    fifth of drawing a deck; a copy takes the same XML with none of that."""
    template = _RUNS.get(key)
    if template is None:
        if len(_RUNS) > 4096:  # a long --watch session with many looks: start over
            _RUNS.clear()
        run = _Paragraph(parse_xml(f"<a:p {nsdecls('a')}/>"), None).add_run()
        style(run)
        template = _RUNS[key] = run._r
    r = copy.deepcopy(template)
    r.text = text  # python-pptx's own setter (it escapes control characters)
    end = paragraph._p.find(qn("a:endParaRPr"))  # where python-pptx's add_run puts a run
    if end is None:
        paragraph._p.append(r)
    else:
        end.addprevious(r)


#: (line, before, after) in EMU -> the spacing elements python-pptx writes for them.
_SPACINGS: dict[tuple[int, int, int], tuple] = {}


def set_spacing(paragraph, line: int, before: int, after: int) -> None:
    """A fixed line spacing and the space before and after ``paragraph`` (EMU), exactly as
    python-pptx's ``line_spacing``, ``space_before`` and ``space_after`` write them.

    Written by python-pptx once per distinct triple and copied from then on: its setters
    find each element's place among the 20-odd that may follow it, about a tenth of
    drawing a deck. A paragraph whose properties already hold elements gets the setters
    themselves (they replace what is there)."""
    p_pr = paragraph._p.get_or_add_pPr()
    if len(p_pr):
        paragraph.line_spacing, paragraph.space_before, paragraph.space_after = Emu(line), Emu(before), Emu(after)
        return
    key = (line, before, after)
    elements = _SPACINGS.get(key)
    if elements is None:
        scratch = _Paragraph(parse_xml(f"<a:p {nsdecls('a')}/>"), None)
        scratch.line_spacing, scratch.space_before, scratch.space_after = Emu(line), Emu(before), Emu(after)
        elements = _SPACINGS[key] = tuple(scratch._p.pPr)
    p_pr.extend(copy.deepcopy(element) for element in elements)


def set_bullet(paragraph, kind: str, margin: int, hanging: int = 0, color: str = "", char: str = "",
               start: int = 1) -> None:
    """Give ``paragraph`` its left margin (EMU) and bullet, replacing any the master set.

    ``kind`` is "none" (text at ``margin``, no bullet), "number" (1. 2. 3. in the heading
    font; ``start`` is this paragraph's number, so a list continued from another slide
    goes on counting) or "bullet" (``char`` in Arial). A bullet hangs ``hanging`` EMU left of the text,
    coloured ``color`` (RRGGBB)."""
    p_pr = paragraph._p.get_or_add_pPr()
    for tag in _BULLET_TAGS:
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    p_pr.set("marL", str(margin))
    if kind == "none":
        p_pr.set("indent", "0")
        p_pr.append(p_pr.makeelement(qn("a:buNone"), {}))
        return
    p_pr.set("indent", str(-hanging))
    clr = p_pr.makeelement(qn("a:buClr"), {})
    clr.append(clr.makeelement(qn("a:srgbClr"), {"val": color}))
    p_pr.append(clr)
    if kind == "number":
        p_pr.append(p_pr.makeelement(qn("a:buFont"), {"typeface": "+mj-lt"}))
        number = {"type": "arabicPeriod"} | ({"startAt": str(start)} if start > 1 else {})
        p_pr.append(p_pr.makeelement(qn("a:buAutoNum"), number))
    else:
        p_pr.append(p_pr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
        p_pr.append(p_pr.makeelement(qn("a:buChar"), {"char": char}))


#: PowerPoint's extension for a link drawn in its run's colour (Office 2019 and later,
#: LibreOffice 7.2 and later); other versions draw the theme's hyperlink colour.
_LINK_COLOUR_EXT = "{A12FA001-AC4F-418D-AE19-62706E023703}"
_AHYP = "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"


def link_in_run_colour(run) -> None:
    """Draw ``run``'s link in the run's own colour instead of the theme's hyperlink colour
    (PowerPoint's ``ahyp:hlinkClr val="tx"``, what it writes when a link is coloured by
    hand): one hyperlink colour cannot read well on both a light slide and a dark one."""
    click = run._r.get_or_add_rPr().find(qn("a:hlinkClick"))
    if click is None:
        return
    click.append(parse_xml(f'<a:extLst {nsdecls("a")} xmlns:ahyp="{_AHYP}"><a:ext uri="{_LINK_COLOUR_EXT}">'
                           '<ahyp:hlinkClr val="tx"/></a:ext></a:extLst>'))


def set_link_colours(prs, color: str) -> None:
    """Set the theme's hyperlink and followed-hyperlink colours to ``color`` (RRGGBB): what
    an application that ignores a link's own colour draws it in (python-pptx's template
    says 0000FF and 800080, unreadable on a dark slide)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = parse_xml(part.blob)
    for name in ("a:hlink", "a:folHlink"):
        for element in root.iter(qn(name)):
            for child in list(element):
                element.remove(child)
            element.append(element.makeelement(qn("a:srgbClr"), {"val": color}))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_right_to_left(paragraph) -> None:
    """Mark ``paragraph`` as running right to left (``a:pPr rtl="1"``): its line starts on
    the right, its bullet and indents are on the right, and neutral characters take the
    right-to-left side."""
    paragraph._p.get_or_add_pPr().set("rtl", "1")


def set_table_right_to_left(graphic_frame) -> None:
    """Lay a table's columns out from the right (``a:tblPr rtl="1"``): its first column is
    the rightmost, so the columns read in order in a right-to-left language."""
    graphic_frame._element.graphic.graphicData.tbl.tblPr.set("rtl", "1")


def set_language(run, lang: str) -> None:
    """Mark ``run`` as written in ``lang`` (for spelling, hyphenation and screen readers)."""
    run._r.get_or_add_rPr().set("lang", lang)


def set_as_typed(run) -> None:
    """Show ``run`` in the case it was typed: a layout's small or all capitals (the default
    master's Section Header sets ``cap="all"``) would change the text from what was measured
    and from what the slides PDF shows."""
    run._r.get_or_add_rPr().set("cap", "none")


def set_no_proofing(run) -> None:
    """Tell PowerPoint not to spell-check ``run`` (code: every identifier would be underlined)."""
    run._r.get_or_add_rPr().set("noProof", "1")


def add_slide_number(paragraph, lang: str, size: float, color: str | None, shown: str) -> None:
    """Append PowerPoint's slide-number field to ``paragraph``: ``shown`` is the text a reader
    sees before PowerPoint updates the field; ``color`` (RRGGBB) or None to inherit."""
    fld = paragraph._p.makeelement(qn("a:fld"), {"id": _SLIDE_NUMBER_FIELD_ID, "type": "slidenum"})
    r_pr = fld.makeelement(qn("a:rPr"), {"lang": lang, "sz": str(int(size * 100))})
    if color is not None:
        fill = r_pr.makeelement(qn("a:solidFill"), {})
        fill.append(fill.makeelement(qn("a:srgbClr"), {"val": color}))
        r_pr.append(fill)
    fld.append(r_pr)
    text = fld.makeelement(qn("a:t"), {})
    text.text = shown
    fld.append(text)
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is not None:
        end.addprevious(fld)
    else:
        paragraph._p.append(fld)


def move_in_reading_order(slide, shape, position: int) -> None:
    """Put ``shape`` at ``position`` among the slide's shapes: earlier is further back in the
    z-order and earlier in the order a screen reader reads."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2 + position, shape._element)  # after the group's nvGrpSpPr and grpSpPr


def remove_shape(shape) -> None:
    shape._element.getparent().remove(shape._element)


def set_table_style(graphic_frame, style_id: str) -> None:
    """Set the table style of a table shape (python-pptx always writes "Medium Style 2")."""
    found = graphic_frame._element.graphic.graphicData.tbl.tblPr.find(qn("a:tableStyleId"))
    if found is not None:
        found.text = style_id


def name_picture(picture, name: str, description: str) -> None:
    """Set a picture's name and alt text (python-pptx puts the image's file name in ``descr``)."""
    c_nv_pr = picture._element.nvPicPr.cNvPr
    c_nv_pr.set("name", name)
    c_nv_pr.set("descr", description)


def make_size_custom(prs) -> None:
    """Drop the slide size's ``type`` (python-pptx's template says "screen4x3" whatever the size)."""
    size = prs.part._element.find(qn("p:sldSz"))
    if size is not None and "type" in size.attrib:
        del size.attrib["type"]


def remember_partnames(prs) -> None:
    """Have ``prs``'s package name each new part without walking the whole package.

    python-pptx names a new part (a notes page, a chart, its workbook) with the next free
    number of its kind, found by walking every relationship of the package, once per part:
    with a notes page per slide, drawing a deck took time quadratic in its slides (about a
    tenth of a 100-section deck). Here the names taken under each prefix are collected on
    its first use and each name handed out is added, so the names are python-pptx's own
    as long as every new part is named here and no part is removed meanwhile (the deck
    drops a master's example slides before this, and removes no part after)."""
    package = prs.part.package
    taken: dict[str, set[str]] = {}

    def next_partname(tmpl: str) -> PackURI:
        prefix = tmpl[: (tmpl % 42).find("42")]
        if prefix not in taken:
            taken[prefix] = {p.partname for p in package.iter_parts() if p.partname.startswith(prefix)}
        names = taken[prefix]
        # python-pptx's search: from one past the count down, the first name not taken.
        name = next(tmpl % n for n in range(len(names) + 1, 0, -1) if tmpl % n not in names)
        for other, more in taken.items():  # every prefix that takes it, as a fresh walk would
            if name.startswith(other):
                more.add(name)
        return PackURI(name)

    package.next_partname = next_partname


def drop_slides(prs) -> None:
    """Remove every slide of ``prs`` (a master's example slides), keeping its layouts."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)


def reveal_on_click(slide, targets: list[tuple[int, list[list[int]]]]) -> None:
    """Make the paragraphs of each target shape appear one click at a time, in order.

    ``targets`` holds (shape id, groups): each group, a list of paragraph numbers (a point
    and its sub-points), appears on one click. This is the timing PowerPoint itself writes
    for the entrance effect "Appear", On Click, by paragraph: the main sequence holds one
    click group per step; its first paragraph is the click effect, the others start with
    it; each effect sets the paragraph's ``style.visibility`` to visible; the build list
    marks the shape as built by paragraph (``build="p"``), which is what hides the
    paragraphs until their click. LibreOffice reads the same XML (and writes it back)."""
    ids = iter(range(3, 1_000_000))
    steps = []
    for spid, click_groups in targets:
        for group in click_groups:
            outer, inner = next(ids), next(ids)
            effects = "".join(_appear(next(ids), next(ids), spid, paragraph,
                                      "clickEffect" if i == 0 else "withEffect")
                              for i, paragraph in enumerate(group))
            steps.append(f'<p:par><p:cTn id="{outer}" fill="hold"><p:stCondLst><p:cond delay="indefinite"/>'
                         f'</p:stCondLst><p:childTnLst><p:par><p:cTn id="{inner}" fill="hold"><p:stCondLst>'
                         f'<p:cond delay="0"/></p:stCondLst><p:childTnLst>{effects}</p:childTnLst></p:cTn>'
                         '</p:par></p:childTnLst></p:cTn></p:par>')
    builds = "".join(f'<p:bldP spid="{spid}" grpId="0" build="p"/>' for spid, _ in targets)
    timing = parse_xml(
        f'<p:timing {nsdecls("p")}><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">'
        '<p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq">'
        f'<p:childTnLst>{"".join(steps)}</p:childTnLst></p:cTn>'
        '<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>'
        '<p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst>'
        f'</p:seq></p:childTnLst></p:cTn></p:par></p:tnLst><p:bldLst>{builds}</p:bldLst></p:timing>')
    sld = slide._element
    for old in sld.findall(qn("p:timing")):
        sld.remove(old)
    # p:timing follows p:clrMapOvr and p:transition, and precedes p:extLst.
    ext = sld.find(qn("p:extLst"))
    if ext is not None:
        ext.addprevious(timing)
    else:
        sld.append(timing)


def _appear(effect: int, behaviour: int, spid: int, paragraph: int, node_type: str) -> str:
    """One "Appear" entrance effect (preset 1) on paragraph ``paragraph`` of shape ``spid``."""
    return (f'<p:par><p:cTn id="{effect}" presetID="1" presetClass="entr" presetSubtype="0" fill="hold" grpId="0" '
            f'nodeType="{node_type}"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst><p:set><p:cBhvr>'
            f'<p:cTn id="{behaviour}" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>'
            f'<p:tgtEl><p:spTgt spid="{spid}"><p:txEl><p:pRg st="{paragraph}" end="{paragraph}"/></p:txEl></p:spTgt>'
            '</p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>'
            '<p:to><p:strVal val="visible"/></p:to></p:set></p:childTnLst></p:cTn></p:par>')


def name_graphic_frame(frame, name: str, description: str) -> None:
    """Set a graphic frame's (a chart's) name and alt text."""
    c_nv_pr = frame._element.nvGraphicFramePr.cNvPr
    c_nv_pr.set("name", name)
    c_nv_pr.set("descr", description)


_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def make_workbook_reproducible(chart) -> None:
    """Stamp the workbook embedded behind ``chart`` 1980-01-01 instead of the time it was
    written (XlsxWriter dates its core properties with the clock), so the same chart gives
    the same bytes. The zip is rewritten entry by entry, keeping each entry's name, order,
    date and compression."""
    part = chart.part.chart_workbook.xlsx_part
    source = zipfile.ZipFile(io.BytesIO(part.blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _W3CDTF.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", content)
            target.writestr(info, content)
    part.blob = out.getvalue()


def make_axis_ids_unsigned(chart) -> None:
    """Write the chart's axis ids as the unsigned numbers the schema wants: python-pptx's
    chart templates use negative ids (``-2068027336``), which PowerPoint reads but a
    validator flags. Each id becomes its two's-complement value, so the axes still pair up."""
    space = chart._chartSpace
    for tag in ("c:axId", "c:crossAx"):
        for element in space.iter(qn(tag)):
            value = int(element.get("val"))
            if value < 0:
                element.set("val", str(value & 0xFFFFFFFF))


def points_between_categories(chart) -> None:
    """Put an area chart's points in the middle of their categories (``c:crossBetween``
    ``between``), as columns are, rather than on the plot's edges, where the first and last
    value labels were cut in half."""
    for axis in chart._chartSpace.iter(qn("c:valAx")):
        found = axis.find(qn("c:crossBetween"))
        if found is not None:
            found.set("val", "between")


def fill_data_labels(data_labels, color: str) -> None:
    """Give a series' data labels a box filled with ``color`` (RRGGBB), so a label that
    straddles an area's edge reads on both sides of it (``c:dLbls/c:spPr``, which comes
    after the number format and before the text properties)."""
    element = data_labels._element
    for old in element.findall(qn("c:spPr")):
        element.remove(old)
    sp_pr = parse_xml(f'<c:spPr {nsdecls("c", "a")}><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></c:spPr>')
    after = element.find(qn("c:numFmt"))
    if after is not None:
        after.addnext(sp_pr)
    else:
        element.insert(0, sp_pr)



# -- reading a master's look (for the slides drawn as HTML: ``backdrop``)

def background(owner):
    """The ``p:bg`` element of a slide layout or master, or None when it sets none."""
    return owner._element.find(qn("p:cSld") + "/" + qn("p:bg"))


def color_map(master) -> dict[str, str]:
    """A slide master's colour map ({"bg1": "lt1", "tx1": "dk1", ...}); empty without one."""
    element = master._element.find(qn("p:clrMap"))
    return dict(element.attrib) if element is not None else {}


def shows_master_shapes(slide_layout) -> bool:
    """Whether ``slide_layout`` shows its master's shapes (a logo) on its slides."""
    return slide_layout._element.get("showMasterSp", "1") not in ("0", "false")


def theme_colors(master) -> dict[str, str]:
    """A slide master's theme colours, {"dk1": RRGGBB, ...} (sRGB or a system colour's last
    value); empty when it has no theme part. Parsed by python-pptx's parser (no entities)."""
    try:
        theme = master.part.part_related_by(RT.THEME)
    except KeyError:
        return {}
    scheme = parse_xml(theme.blob).find(qn("a:themeElements") + "/" + qn("a:clrScheme"))
    out = {}
    for element in scheme if scheme is not None else ():
        if len(element):
            color = element[0]
            value = color.get("val") if color.tag == qn("a:srgbClr") else color.get("lastClr")
            if value and len(value) == 6:
                out[etree.QName(element).localname] = value.upper()
    return out
