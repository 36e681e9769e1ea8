#!/usr/bin/env python3
"""The bare stack: ``python bench/bare.py CONTENT.yaml [...] --out DIR``.

The yardstick for ``bench/run.py``: the same content turned into the deck, the article and the handout
by the four libraries alone, the way a short hand-written script would do it, in one
process, one file after another:

- deck: python-pptx, a title slide and one slide per section (bullets with one level of
  nesting, a native table, two text boxes for a comparison, a quotation, the picture)
  with the speaker notes;
- article: a Jinja template producing Markdown;
- handout: Jinja HTML with Python-Markdown for the prose, one page per section with its
  points, table, comparison, quote, picture and notes, printed by WeasyPrint.

It has none of triptych's checks (no validation, no text fitting, no parity read-back, no
atomic writes, no escaping of untrusted text), so it is a lower bound on the work, not a
competitor. PyYAML reads the content (any tool must). Run by hand, never by the tests.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

import jinja2
import markdown
import yaml
import weasyprint
from pptx import Presentation
from pptx.util import Inches, Pt

ARTICLE = jinja2.Template("""\
# {{ t.title }}

*{{ t.subtitle }}* by {{ t.author.name }}

{{ t.summary }}
{% for s in t.sections %}
## {{ s.title }}

{% if s.body %}{{ s.body }}
{% endif %}
{% for p in points(s.points) %}{{ "  " * p[0] }}- {{ p[1] }}
{% endfor %}
{% if s.table %}| {{ s.table.columns | join(" | ") }} |
|{% for c in s.table.columns %}---|{% endfor %}

{% for r in s.table.rows %}| {{ r | join(" | ") }} |
{% endfor %}
{% endif %}
{% if s.compare %}{% for c in s.compare %}**{{ c.title }}**

{% for p in c.points %}- {{ p }}
{% endfor %}
{% endfor %}{% endif %}
{% if s.quote %}> {{ s.quote.text }}
>
> {{ s.quote.by }}
{% endif %}
{% if s.image %}![{{ s.image.alt }}]({{ s.image.path }})
{% endif %}
{% endfor %}
""")

HANDOUT = jinja2.Template("""\
<!doctype html>
<html lang="{{ t.lang }}"><head><meta charset="utf-8"><title>{{ t.title }}</title>
<style>
@page { size: A4; margin: 2cm }
body { font-family: Carlito, "DejaVu Sans", sans-serif; font-size: 11pt; color: #1E2A36 }
h1, h2 { color: #1F3A5F } section { break-before: page }
table { border-collapse: collapse } td, th { border: 1px solid #ccc; padding: 4pt }
.notes { color: #5B6B7B; border-top: 1px solid #2A9D8F } img { max-width: 100% }
.cols { display: flex; gap: 1cm }
</style></head><body>
<h1>{{ t.title }}</h1><p>{{ t.subtitle }}</p><p>{{ t.author.name }}</p>{{ md(t.summary) }}
{% for s in t.sections %}<section><h2>{{ md_inline(s.title) }}</h2>
{{ md(s.body) }}
<ul>{% for p in s.points %}<li>{{ md_inline(p.text if p is mapping else p) }}
{% if p is mapping %}<ul>{% for q in p.points %}<li>{{ md_inline(q) }}</li>{% endfor %}</ul>{% endif %}</li>{% endfor %}</ul>
{% if s.table %}<table><caption>{{ s.table.caption }}</caption><tr>{% for c in s.table.columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for r in s.table.rows %}<tr>{% for c in r %}<td>{{ md_inline(c) }}</td>{% endfor %}</tr>{% endfor %}</table>{% endif %}
{% if s.compare %}<div class="cols">{% for c in s.compare %}<div><h3>{{ c.title }}</h3><ul>{% for p in c.points %}<li>{{ md_inline(p) }}</li>{% endfor %}</ul></div>{% endfor %}</div>{% endif %}
{% if s.quote %}<blockquote>{{ s.quote.text }}<footer>{{ s.quote.by }}</footer></blockquote>{% endif %}
{% if s.image %}<figure><img src="{{ s.image.uri }}" alt="{{ s.image.alt }}"><figcaption>{{ s.image.caption }}</figcaption></figure>{% endif %}
<div class="notes">{{ md(s.notes) }}</div></section>
{% endfor %}</body></html>
""")


def md(text: str | None) -> str:
    return markdown.markdown(text or "")


def md_inline(text: str) -> str:
    out = markdown.markdown(text)
    return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") else out


def points(items) -> list[tuple[int, str]]:
    flat = []
    for p in items or ():
        if isinstance(p, dict):
            flat.append((0, p["text"]))
            flat += [(1, q) for q in p.get("points", ())]
        else:
            flat.append((0, p))
    return flat


def deck(t: dict, base: Path) -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = t["title"]
    title.placeholders[1].text = f'{t.get("subtitle", "")}\n{t["author"]["name"]}'
    for s in t["sections"]:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        slide.shapes.title.text = s["title"]
        box = Inches(0.8), Inches(1.8), Inches(11.7), Inches(5)
        if s.get("points"):
            frame = slide.shapes.add_textbox(*box).text_frame
            frame.word_wrap = True
            for k, (level, text) in enumerate(points(s["points"])):
                para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
                para.text, para.level = text, level
                para.runs[0].font.size = Pt(22 - 4 * level)
        elif s.get("table"):
            tab = s["table"]
            shape = slide.shapes.add_table(len(tab["rows"]) + 1, len(tab["columns"]), *box).table
            for c, text in enumerate(tab["columns"]):
                shape.cell(0, c).text = text
            for r, row in enumerate(tab["rows"], 1):
                for c, text in enumerate(row):
                    shape.cell(r, c).text = text
        elif s.get("compare"):
            for k, col in enumerate(s["compare"]):
                frame = slide.shapes.add_textbox(Inches(0.8 + 6 * k), Inches(1.8), Inches(5.6), Inches(5)).text_frame
                frame.word_wrap = True
                frame.paragraphs[0].text = col["title"]
                for p in col["points"]:
                    frame.add_paragraph().text = p
        elif s.get("quote"):
            frame = slide.shapes.add_textbox(*box).text_frame
            frame.word_wrap = True
            frame.paragraphs[0].text = s["quote"]["text"]
            frame.add_paragraph().text = s["quote"].get("by", "")
        elif s.get("image"):
            slide.shapes.add_picture(str(base / s["image"]["path"]), Inches(2), Inches(1.6), height=Inches(5.4))
        if s.get("notes"):
            slide.notes_slide.notes_text_frame.text = s["notes"]
    return prs


def build(path: Path, out: Path) -> None:
    t = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = path.parent.resolve()
    for s in t["sections"]:
        if s.get("image"):
            s["image"]["uri"] = (base / s["image"]["path"]).as_uri()
    slug = path.stem
    deck(t, base).save(out / f"{slug}.pptx")
    (out / f"{slug}.md").write_text(ARTICLE.render(t=t, points=points), encoding="utf-8")
    page = HANDOUT.render(t=t, md=md, md_inline=md_inline, escape=html.escape)
    weasyprint.HTML(string=page, base_url=str(base)).write_pdf(out / f"{slug}.pdf")


def main() -> None:
    ap = argparse.ArgumentParser(description="the bare stack, for bench/run.py")
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.files:
        build(path, args.out)


if __name__ == "__main__":
    main()
