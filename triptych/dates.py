"""Dates in outputs: how a talk's date is shown, and the timestamp files are stamped with.

Both are independent of the machine (no locale, no clock), so builds are reproducible:

- ``display(date, lang)``: "28 November 2026" when ``lang`` is English, ISO 8601
  ("2026-11-28") in any other language, so no output prints English month names in a
  German talk; "" without a date.
- ``stamp(talk)``: the moment an output says it was made: midnight UTC of ``talk.date``,
  else ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention; a value that is not a
  whole number of seconds is ignored, as the convention asks), else None.
"""

from __future__ import annotations

import datetime as dt
import os

from .model import Talk

#: The reproducible-builds fallback when there is no date at all: 1980-01-01T00:00:00Z
#: (also the earliest time a zip entry can carry).
EPOCH_1980 = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def display(date: dt.date | None, lang: str) -> str:
    """``date`` as readers of ``lang`` write it (see the module docstring)."""
    if date is None:
        return ""
    if lang.lower().split("-")[0] == "en":
        return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
    return date.isoformat()


def stamp(talk: Talk) -> dt.datetime | None:
    """When ``talk``'s outputs say they were made, in UTC (see the module docstring)."""
    if talk.date is not None:
        return dt.datetime.combine(talk.date, dt.time(), dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return None
