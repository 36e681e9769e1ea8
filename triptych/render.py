"""The Jinja environment every template is rendered with.

- ``StrictUndefined``: a typo such as ``{{ talk.titel }}`` is an error naming the
  template and line, not an empty string.
- Autoescape by file name: ``*.html.j2``/``*.xml.j2``/``*.svg.j2`` escape every value
  (``select_autoescape`` would not, because of the ``.j2`` suffix); Markdown and YAML
  templates escape with their own filters instead.
- Content is only ever a *value*: no template is built from content text.

Filters (all from ``triptych.markup``, the one Markdown parser):
``inline`` and ``block`` give safe HTML for inline and block Markdown, ``plain`` the text
without Markdown syntax. ``dir`` gives an element holding a text its `` dir="rtl"`` or
`` dir="ltr"`` where the text runs against the document (``triptych.bidi``), and ``block``
marks each paragraph of block Markdown the same way. The document's direction is the
talk's language's, for every template rendered with a ``talk`` value.

**Words per language.** A talk whose ``lang`` is ``ar`` (or ``ar-EG``) is rendered with the
templates of ``<templates>/ar-eg/`` or ``<templates>/ar/`` first, when such a folder exists,
and the folder's own templates for every file the language folder lacks (``overlay``). So
the words of an Arabic talk (the byline's "By", "Page 1 of 5", "(2/3)") are a translated
``shared.j2`` (and ``handout.css.j2``, ``handout.html.j2``...) in ``templates/ar/``, while
the English talks of the same build keep the folder's own.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import bidi, highlight, markup
from .errors import ContentError

_ESCAPED_SUFFIXES = (".html.j2", ".htm.j2", ".xml.j2", ".svg.j2")


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith(_ESCAPED_SUFFIXES)


class _BestEffortCache(jinja2.FileSystemBytecodeCache):
    """Jinja's per-user cache of compiled templates, as a cache should be: a compiled
    template that cannot be read or stored (temporary directory full or gone, a file size
    limit) is simply compiled again, never a failed build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BestEffortCache()
    except (OSError, RuntimeError):  # no usable temporary directory: compile every time
        return None


#: Characters YAML's reader refuses raw, or reads as line breaks inside a quoted scalar
#: (NEL, LINE and PARAGRAPH SEPARATOR, the byte order mark): written as ``\\uXXXX`` escapes.
_YAML_UNSAFE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yaml_safe_json(value, **kwargs) -> str:
    """``json.dumps(value)`` with every character that YAML reads as written left as is
    (emoji and other characters outside the Basic Multilingual Plane included) and the
    rest as ``\\uXXXX`` escapes, all of them in the BMP, so the result is a YAML
    flow scalar that reads back to ``value``."""
    kwargs["ensure_ascii"] = False
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, **kwargs))


def overlay(templates: Path, lang: str) -> Path | None:
    """The language folder of ``templates`` for a talk in ``lang`` (a BCP 47 tag): the
    folder named as the whole tag, else as its language subtag, in lower case, when it
    exists; else None."""
    tag = (lang or "").strip().lower().replace("_", "-")
    for name in dict.fromkeys((tag, tag.split("-")[0])):
        if name and name.replace("-", "").isalnum() and (templates / name).is_dir():
            return templates / name
    return None


def environment(templates: Path, lang: str = "") -> jinja2.Environment:
    """The environment for ``templates`` and a talk in ``lang``: its language folder's
    templates first (``overlay``), then the folder's own. Cached per folder and overlay:
    templates compile once per process."""
    return _environment(templates, overlay(templates, lang))



@lru_cache(maxsize=8)
def _environment(templates: Path, language: Path | None) -> jinja2.Environment:
    folders = [str(language)] if language else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, str(templates)]),
        # Compiling a template costs more than rendering it, and the handout's two are on
        # the PDF's critical path: keep the compiled code between runs, in Jinja's own
        # per-user folder under the temporary directory. Entries are keyed by the
        # template's source checksum, so an edited template is never served stale.
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `tojson` writes the slide plans' values: characters outside the BMP (emoji) must stay
    # as they are, because Jinja's default escapes them as UTF-16 surrogate pairs, which
    # YAML refuses ("invalid Unicode character escape code").
    env.policies["json.dumps_function"] = yaml_safe_json
    env.filters["inline"] = lambda text: Markup(markup.to_html(text or "", inline=True))
    env.filters["block"] = lambda text: Markup(markup.to_html(text or "", inline=False, direction=bidi.document()))
    env.filters["dir"] = _dir
    env.filters["plain"] = lambda text: markup.to_plain(text or "", inline=True)
    env.globals["code_palette"] = highlight.palette
    env.globals["direction_of"] = bidi.lang_direction
    # A code part's listing, highlighted: the inside of its <code> element (safe HTML).
    env.filters["code_html"] = lambda code: Markup(highlight.html(code.text, code.lang, code.highlight))
    return env


#: Forget the compiled templates (after a template changes on disk: ``--watch``).
environment.cache_clear = _environment.cache_clear  # type: ignore[attr-defined]


def _dir(text: str | None, base: str | None = None) -> Markup:
    """The ``dir`` filter: `` dir="..."`` for an element holding inline Markdown ``text``
    that runs against ``base`` (default: the document), else "". Text of a left-to-right
    document without a right-to-left character needs no parse: it can only run along."""
    base = base or bidi.document()
    if not text or (base == bidi.LTR and not bidi.has_rtl(text)):
        return Markup("")
    return Markup(bidi.attribute(markup.to_plain(text), base))


def render(templates: Path, name: str, **values) -> str:
    """Render template ``name`` from ``templates``. A template mistake (syntax error,
    undefined value, missing file) raises ``ContentError`` naming the template and line."""
    lang = getattr(values.get("talk"), "lang", "")
    with _reported(templates, name), bidi.rendering(lang):
        return environment(templates, lang).get_template(name).render(**values)


#: The template of the words and pieces several outputs share.
SHARED = "shared.j2"


def say(templates: Path, macro: str, *args, lang: str = "", **slots: str) -> str:
    """What macro ``macro`` of ``shared.j2`` says for ``args``: the words writers draw
    themselves (the deck's "(2/3)" and continuation notes), in the words of ``lang``'s
    language folder when there is one (``overlay``). Each slot the macro writes with
    ``caller(slot)`` is ``slots[slot]``, used as is (for text outputs: nothing is escaped).
    A template mistake, or a templates folder whose ``shared.j2`` lacks ``macro``, raises
    ``ContentError`` naming the template."""
    with _reported(templates, SHARED):
        module = environment(templates, lang).get_template(SHARED).module
        function = getattr(module, macro, None)
        if not isinstance(function, jinja2.runtime.Macro):
            raise ContentError.one(str(templates / SHARED), 0, "template", f"no macro '{macro}' (it says the words"
                                   " a writer draws itself; copy it from the built-in templates/shared.j2)")
        if function.caller:  # the macro has slots
            return str(function(*args, caller=lambda slot: slots[slot]))
        return str(function(*args))


@contextmanager
def _reported(templates: Path, name: str):
    try:
        yield
    except jinja2.TemplateSyntaxError as err:
        raise ContentError.one(str(Path(err.filename or name)), err.lineno or 0, "template", err.message or str(err)) from None
    except jinja2.TemplateNotFound as err:
        raise ContentError.one(str(templates / name), 0, "template", f"template not found: {err.name}") from None
    except jinja2.UndefinedError as err:
        raise ContentError.one(str(templates / name), _template_line(err, name), "template", str(err)) from None


def _template_line(err: BaseException, name: str) -> int:
    tb = err.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
