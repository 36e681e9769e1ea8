"""How dates appear in outputs: no locale, no clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from triptych import dates
from triptych.model import Author, Section, Talk


def talk(date: dt.date | None) -> Talk:
    return Talk(path="t.yaml", base_dir=Path("."), slug="t", title="T", author=Author("A"),
                sections=(Section(0, "S", "s"),), date=date)


@pytest.mark.parametrize("lang, shown", [("en", "28 November 2026"), ("en-GB", "28 November 2026"),
                                         ("de", "2026-11-28"), ("ja", "2026-11-28")])
def test_display_is_english_words_or_iso(lang, shown):
    assert dates.display(dt.date(2026, 11, 28), lang) == shown
    assert dates.display(None, lang) == ""


def test_stamp_prefers_the_talk_date_then_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dates.stamp(talk(dt.date(2026, 11, 28))) == dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
    assert dates.stamp(talk(None)) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # not a number: ignored, as the convention asks
    assert dates.stamp(talk(None)) is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert dates.stamp(talk(None)) is None
