"""The time outputs are stamped with: no clock. (How dates are shown: tests/test_templates.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from triptych import dates
from triptych.model import Author, Section, Talk


def talk(date: dt.date | None) -> Talk:
    return Talk(path="t.yaml", base_dir=Path("."), slug="t", title="T", author=Author("A"),
                sections=(Section(0, "S", "s"),), date=date)


def test_stamp_prefers_the_talk_date_then_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dates.stamp(talk(dt.date(2026, 11, 28))) == dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
    assert dates.stamp(talk(None)) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # not a number: ignored, as the convention asks
    assert dates.stamp(talk(None)) is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert dates.stamp(talk(None)) is None
