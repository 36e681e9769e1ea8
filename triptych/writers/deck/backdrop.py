"""What a user's master draws behind a layout's slides, read for the slides drawn as HTML.

The deck itself needs none of this: PowerPoint and LibreOffice draw the master. The slides
PDF draws the slides as HTML (``triptych.slides.html``), so it must be told: ``backdrop``
reads the layout's background, else its slide master's (``p:cSld/p:bg``):

- a solid fill, an sRGB or scheme colour, with the luminance modifiers PowerPoint's own
  themes use (``lumMod``, ``lumOff``) and ``tint``/``shade`` roughly;
- a gradient: its stops and linear angle;
- a picture fill (PNG, JPEG or GIF: what a PDF engine draws), stretched over the slide;
- a background style reference (``p:bgRef``), drawn as its colour;

and the pictures (a logo) the master places on every slide of a layout that shows the
master's shapes, then the layout's own.

Scheme colours go through the master's colour map (``bg1`` is ``lt1`` on a light
master, ``dk1`` on a dark one) to the theme part's colour scheme, and so does the text
colour (``tx1``) that the master sets text in on that background. Anything else (a
pattern, an EMF picture) gives no backdrop: the slide stays the page's white.
"""

from __future__ import annotations

import colorsys

from pptx.enum.shapes import MSO_SHAPE_TYPE

from ...slides.shapes import Backdrop, Box
from . import ooxml

_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
#: Pictures a PDF engine can draw (a master may also hold EMF or WMF, which it cannot).
PICTURE_TYPES = ("image/png", "image/jpeg", "image/gif")


def backdrop(slide_layout) -> Backdrop | None:
    """The background ``slide_layout`` shows (its own, else its master's) and the pictures
    its master and it place on every slide, or None when there is nothing the HTML slides
    can draw."""
    master = slide_layout.slide_master
    scheme = ooxml.theme_colors(master)
    color_map = ooxml.color_map(master)
    found: dict = {}
    for part_owner in (slide_layout, master):
        bg = ooxml.background(part_owner)
        if bg is not None:
            found = _fill(bg, part_owner.part, color_map, scheme)
            break
    shown = [master] if ooxml.shows_master_shapes(slide_layout) else []
    pictures = tuple(picture for owner in (*shown, slide_layout) for picture in _pictures(owner))
    if not found and not pictures:
        return None
    return Backdrop(text=_resolve("tx1", color_map, scheme), pictures=pictures, **found)


def _pictures(owner) -> list[tuple[Box, bytes, str]]:
    """The pictures (not placeholders) ``owner`` places, in drawing order, that a PDF engine draws."""
    out = []
    for shape in owner.shapes:
        if shape.shape_type != MSO_SHAPE_TYPE.PICTURE or shape.is_placeholder:
            continue
        try:
            image = shape.image
        except (KeyError, AttributeError, ValueError):  # a linked or broken picture
            continue
        if image.content_type in PICTURE_TYPES:
            box = Box(*(length / 12700 for length in (shape.left, shape.top, shape.width, shape.height)))
            out.append((box, image.blob, image.content_type))
    return out


def _fill(bg, part, color_map: dict[str, str], scheme: dict[str, str]) -> dict:
    props = bg.find("p:bgPr", _NS)
    if props is None:  # p:bgRef: a theme background style, drawn in its colour
        color = _color(bg.find("p:bgRef", _NS), color_map, scheme)
        return {"color": color} if color else {}
    solid = props.find("a:solidFill", _NS)
    if solid is not None:
        color = _color(solid, color_map, scheme)
        return {"color": color} if color else {}
    gradient = props.find("a:gradFill", _NS)
    if gradient is not None:
        stops = []
        for stop in gradient.findall("a:gsLst/a:gs", _NS):
            color = _color(stop, color_map, scheme)
            if color:
                stops.append((color, int(stop.get("pos", "0")) / 100000))
        line = gradient.find("a:lin", _NS)
        angle = int(line.get("ang", "0")) / 60000 if line is not None else 90.0
        return {"stops": tuple(sorted(stops, key=lambda s: s[1])), "angle": angle} if stops else {}
    blip = props.find("a:blipFill/a:blip", _NS)
    if blip is not None:
        rid = blip.get(f"{{{_NS['r']}}}embed")
        try:
            image = part.related_part(rid)
        except (KeyError, AttributeError):
            return {}
        if image.content_type not in PICTURE_TYPES:
            return {}
        return {"picture": image.blob, "picture_type": image.content_type}
    return {}


def _color(parent, color_map: dict[str, str], scheme: dict[str, str]) -> str:
    """The colour ``parent`` holds (its first sRGB, scheme or system colour) as RRGGBB, with
    its luminance modifiers applied; "" when it holds none this can resolve."""
    if parent is None:
        return ""
    for element in parent:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "srgbClr":
            value = element.get("val", "")
        elif tag == "schemeClr":
            value = _resolve(element.get("val", ""), color_map, scheme)
        elif tag == "sysClr":
            value = element.get("lastClr", "")
        else:
            continue
        return _modified(value.upper(), element) if len(value) == 6 else ""
    return ""


def _resolve(name: str, color_map: dict[str, str], scheme: dict[str, str]) -> str:
    """A scheme colour name (``bg1``, ``tx1``, ``accent1``...) as RRGGBB, through the colour map."""
    return scheme.get(color_map.get(name, name), "")


def _modified(value: str, element) -> str:
    red, green, blue = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(red, green, blue)
    for child in element:
        tag, amount = child.tag.rsplit("}", 1)[-1], int(child.get("val", "0")) / 100000
        if tag == "lumMod":
            light *= amount
        elif tag == "lumOff":
            light += amount
        elif tag == "tint":  # towards white
            light = 1 - (1 - light) * amount
        elif tag == "shade":  # towards black
            light *= amount
    red, green, blue = colorsys.hls_to_rgb(hue, min(1.0, max(0.0, light)), sat)
    return "".join(f"{round(c * 255):02X}" for c in (red, green, blue))
