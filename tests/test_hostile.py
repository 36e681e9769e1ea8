"""The hostile corpus (tests/hostile/): one file per attack on the content contract.

Each file says what must happen in ``# expect:`` comments at its top: the exact problems
(``LINE: field: message``, file order) or ``builds``. ``# partial`` allows more problems
than listed. Files that cannot hold a comment (empty, not UTF-8, not text) have a
``<name>.expect`` beside them with the whole message. ``@SECRET@`` stands for a secret
file outside the content folder, written by the test; no output may ever carry it.

Files that build are built into every output, then each output is searched:
no script, no event handler, no link or resource other than http(s)/mailto, no embedded
or attached file, the secret nowhere, template syntax kept as typed."""

from __future__ import annotations

import html.parser
import re
import zipfile
from pathlib import Path

import pytest

from triptych.errors import ContentError
from triptych.loader import load
from triptych.pipeline import Options, build
from triptych.writers import REGISTRY, output, writer

from test_loader import PNG

CORPUS = Path(__file__).parent / "hostile"
SECRET = "TOP-SECRET-4f1d9c"  # the secret file's content
OUTPUTS = list(REGISTRY)
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".yaml")
BUILDS = [p for p in FILES if p.read_bytes().startswith(b"# expect: builds")]


def expectations(path: Path) -> tuple[list[str], bool]:
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        return sidecar.read_text(encoding="utf-8").splitlines(), False
    head = path.read_text(encoding="utf-8", errors="replace").splitlines()
    found = [line[len("# expect: "):] for line in head if line.startswith("# expect: ")]
    return [f"content/{path.name}:{line}" for line in found], any(line.startswith("# partial") for line in head)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """<tmp>/content/ holding the corpus (secret path filled in) and images/pic.png;
    the secret beside it, outside the content folder."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "secret.txt").write_text(SECRET)
    (root / "secret.png").write_bytes(PNG + SECRET.encode())
    content = root / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "pic.png").write_bytes(PNG)
    for path in FILES:
        (content / path.name).write_bytes(path.read_bytes().replace(b"@SECRET@", str(root / "secret.txt").encode()))
    return root


def test_corpus_is_complete():
    assert len(FILES) >= 30 and all(expectations(p)[0] for p in FILES), [p.name for p in FILES if not expectations(p)[0]]


@pytest.mark.parametrize("path", [p for p in FILES if p not in BUILDS], ids=lambda p: p.stem)
def test_refused_with_exact_messages(folder, path, monkeypatch):
    monkeypatch.chdir(folder)
    expected, partial = expectations(path)
    with pytest.raises(ContentError) as err:
        load(Path("content") / path.name)
    got = [str(p) for p in err.value.problems]
    if partial:
        assert [g for g in got if g in expected] == expected, got
    else:
        assert got == expected


# -- what builds must be harmless ----------------------------------------------------------

@pytest.fixture(scope="module")
def built(folder):
    out = folder / "out"
    options = Options(out_dir=out, outputs=OUTPUTS)
    report = build([folder / "content" / p.name for p in BUILDS], options)
    assert report.exit_status in (0, 3), [str(p) for f in report.files for p in f.problems]  # 3: parity is not ours
    return {p.stem: {name: out / f"{p.stem}{output(name).suffix}" for name in OUTPUTS} for p in BUILDS}


def texts_of(path: Path) -> list[str]:
    """Every text part of an output: each XML part and relationship of a pptx, the
    decompressed objects of a PDF, or the file itself."""
    if path.suffix == ".pptx":
        with zipfile.ZipFile(path) as z:
            return [z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels"))]
    if path.suffix == ".pdf":
        import pypdf
        reader = pypdf.PdfReader(path)
        parts = [repr(reader.trailer), repr(reader.trailer["/Root"])]
        for num in range(1, len(reader.xref_objStm) + 2 * len(reader.pages) + 500):
            try:
                obj = reader.get_object(num)
            except Exception:
                continue
            if obj is None:
                continue
            parts.append(repr(obj))
            if hasattr(obj, "get_data"):
                try:
                    parts.append(obj.get_data().decode("latin-1"))
                except Exception:
                    pass
        return parts
    return [path.read_text(encoding="utf-8")]


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def html_of(path: Path, name: str) -> str:
    """The HTML a reader's renderer would make of an output: the page itself, or the
    article rendered by markdown-it with raw HTML on (as GitHub-like renderers do)."""
    text = path.read_text(encoding="utf-8")
    if name == "article":
        from markdown_it import MarkdownIt
        return MarkdownIt("commonmark", {"html": True}).render(text)
    return text


SAFE_URL = re.compile(r"^(https?:|mailto:|#|data:image/(png|jpeg|gif);base64,|[\w./-]+\.(png|jpe?g|gif|css)$)", re.I)


@pytest.mark.parametrize("stem", [p.stem for p in BUILDS])
@pytest.mark.parametrize("name", OUTPUTS)
def test_outputs_carry_no_script_and_no_outside_file(built, stem, name):
    path = built[stem][name]
    assert path.is_file()
    everything = "\n".join(texts_of(path))
    assert SECRET not in everything
    if name in ("page", "article"):
        parser = _Tags()
        parser.feed(html_of(path, name))
        for tag, attrs in parser.found:
            assert tag not in ("script", "iframe", "object", "embed", "base", "style", "svg", "link") or (
                tag in ("style", "link") and name == "page" and not attrs.get("href", "").startswith("file")), tag
            for key, value in attrs.items():
                assert not key.startswith("on"), (tag, key)
                if key in ("href", "src", "data", "action", "formaction") and value is not None:
                    assert SAFE_URL.match(value.strip()), (tag, key, value)
    if name == "deck":
        for rels in (t for t in texts_of(path) if "Relationship " in t):
            for target in re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels):
                assert target.startswith(("http://", "https://", "mailto:")), target
    if path.suffix == ".pdf":
        import pypdf
        reader = pypdf.PdfReader(path)
        assert reader.attachments == {}
        assert "/JavaScript" not in everything and "/Launch" not in everything and "/EmbeddedFile" not in everything


@pytest.mark.parametrize("name", OUTPUTS)
def test_template_syntax_stays_text(built, name):
    text = writer(name).read_text(built["template-injection"][name])
    flat = " ".join(text.split())
    assert "{{ 7*7 }}" in flat or name == "post"  # the post carries no title
    assert "<%= 6 + 1 %> {{ 6 + 1 }}" in flat or name in ("deck", "slides", "carousel", "post")  # body is not on slides
    assert SECRET not in flat


@pytest.mark.parametrize("name", OUTPUTS)
def test_raw_html_is_shown_as_typed(built, name):
    text = " ".join(writer(name).read_text(built["raw-html"][name]).split())
    assert "<b>L</b>" in text and "&lt;b&gt;" in text or name == "post"
    assert "Mallory" in text or name == "post"
