"""Draw the "LLMs live inside foundation models" diagram for the sample content.

The picture is a 1600x900 (16:9) PNG: a large rounded box labelled
"Foundation models" that contains four smaller regions (vision, audio, code,
multi-modal, each with an example where there is a well-known one) and a
highlighted inner box labelled "LLMs" with the examples GPT and BERT.

Run from anywhere:

    python scripts/make_diagram.py                 # writes content/images/llms-in-foundation-models.png
    python scripts/make_diagram.py out/diagram.png # writes to the given path instead

The output is deterministic: the same Pillow version and fonts give the same
bytes (no timestamps or other metadata are written). Every label is measured
and the script stops with an AssertionError if a label would not fit its box.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "content" / "images" / "llms-in-foundation-models.png"

WIDTH, HEIGHT = 1600, 900

# Palette: deep navy, teal, and light fills.
BACKGROUND = "#F7F9FC"
NAVY = "#1F3A5F"
TEAL = "#2A9D8F"
TEAL_DARK = "#1C6E64"  # teal text on light fills, for contrast
OUTER_FILL = "#E9EFF6"
REGION_FILL = "#FFFFFF"
REGION_LINE = "#A9BBD0"
MUTED = "#4A5F7A"  # secondary navy text
LLM_FILL = "#D9F0EC"

FONT_CANDIDATES = {
    "regular": [
        "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
    "bold": [
        "/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ],
}


def load_font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """Return the first available TrueType font of the given weight.

    Raises SystemExit if none of the candidates exists: a bitmap fallback
    would be unreadably small, so it is better to stop.
    """
    for path in FONT_CANDIDATES[weight]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    sys.exit(f"make_diagram: no {weight} TrueType font found in {FONT_CANDIDATES[weight]}")


Box = tuple[int, int, int, int]  # left, top, right, bottom
Line = tuple[str, ImageFont.FreeTypeFont, str]  # text, font, colour


def draw_lines_centered(
    draw: ImageDraw.ImageDraw, box: Box, lines: list[Line], pad: int = 24, gap: int = 14
) -> None:
    """Draw lines of text centred horizontally and vertically in box.

    Each line is measured with draw.textbbox; asserts that the block fits
    inside box with pad pixels to spare on every side.
    """
    left, top, right, bottom = box
    sizes = []
    for text, font, _ in lines:
        l, t, r, b = draw.textbbox((0, 0), text, font=font)
        sizes.append((r - l, b - t, l, t))
    block_h = sum(h for _, h, _, _ in sizes) + gap * (len(lines) - 1)
    avail_w = right - left - 2 * pad
    avail_h = bottom - top - 2 * pad
    for (text, _, _), (w, _, _, _) in zip(lines, sizes):
        assert w <= avail_w, f"{text!r} is {w}px wide; box allows {avail_w}px"
    assert block_h <= avail_h, f"{[l[0] for l in lines]} is {block_h}px tall; box allows {avail_h}px"

    y = top + (bottom - top - block_h) / 2
    for (text, font, colour), (w, h, off_x, off_y) in zip(lines, sizes):
        x = left + (right - left - w) / 2
        draw.text((x - off_x, y - off_y), text, font=font, fill=colour)
        y += h + gap


def draw_label(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str,
               font: ImageFont.FreeTypeFont, colour: str, limit: Box) -> int:
    """Draw text with its ink's top-left corner at xy; assert it stays in limit.

    Returns the y coordinate of the bottom of the ink.
    """
    l, t, r, b = draw.textbbox((0, 0), text, font=font)
    x, y = xy
    ink = (x, y, x + r - l, y + b - t)
    assert limit[0] <= ink[0] and ink[2] <= limit[2] and limit[1] <= ink[1] and ink[3] <= limit[3], (
        f"{text!r} at {ink} leaves {limit}"
    )
    draw.text((x - l, y - t), text, font=font, fill=colour)
    return ink[3]


def make_diagram() -> Image.Image:
    """Return the diagram as an RGB image of WIDTH x HEIGHT pixels."""
    img = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(img)

    heading = load_font("bold", 66)
    tagline = load_font("regular", 38)
    region_name = load_font("bold", 46)
    region_example = load_font("regular", 38)
    llm_name = load_font("bold", 96)
    llm_example = load_font("bold", 50)
    llm_note = load_font("regular", 38)

    # Outer region: foundation models.
    outer: Box = (50, 40, WIDTH - 50, HEIGHT - 40)
    draw.rounded_rectangle(outer, radius=48, fill=OUTER_FILL, outline=NAVY, width=6)
    inner_limit: Box = (outer[0] + 20, outer[1] + 20, outer[2] - 20, outer[3] - 20)
    y = draw_label(draw, (outer[0] + 56, outer[1] + 40), "Foundation models", heading, NAVY, inner_limit)
    tag_y = draw_label(
        draw, (outer[0] + 58, y + 18),
        "Pre-trained on broad data, adapted to many tasks", tagline, MUTED, inner_limit,
    )

    content_top = tag_y + 40
    content_bottom = outer[3] - 50
    content_left = outer[0] + 50
    content_right = outer[2] - 50
    gutter = 36

    # Highlighted inner region: LLMs, on the left.
    llm_w = 600
    llm: Box = (content_left, content_top, content_left + llm_w, content_bottom)
    draw.rounded_rectangle(llm, radius=36, fill=LLM_FILL, outline=TEAL, width=8)
    draw_lines_centered(
        draw, llm,
        [
            ("LLMs", llm_name, NAVY),
            ("GPT, BERT", llm_example, TEAL_DARK),
            ("Understand and generate text", llm_note, MUTED),
        ],
        gap=26,
    )

    # Other regions: a 2x2 grid on the right.
    grid_left = llm[2] + gutter
    cell_w = (content_right - grid_left - gutter) // 2
    cell_h = (content_bottom - content_top - gutter) // 2
    regions = [
        ("Vision", "e.g. DALL-E"),
        ("Audio", "speech and sound"),
        ("Code", "writing software"),
        ("Multi-modal", "e.g. GPT-4"),
    ]
    for i, (name, example) in enumerate(regions):
        row, col = divmod(i, 2)
        left = grid_left + col * (cell_w + gutter)
        top = content_top + row * (cell_h + gutter)
        box: Box = (left, top, left + cell_w, top + cell_h)
        draw.rounded_rectangle(box, radius=28, fill=REGION_FILL, outline=REGION_LINE, width=4)
        draw_lines_centered(draw, box, [(name, region_name, NAVY), (example, region_example, MUTED)])

    return img


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the PNG (default: {DEFAULT_OUTPUT.relative_to(REPO_ROOT)})")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    make_diagram().save(args.output, format="PNG", optimize=True)
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
