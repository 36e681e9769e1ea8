"""The timestamp outputs are stamped with, independent of the machine's clock, so builds
are reproducible. (How a date is *shown* is a template's business: ``date`` in
templates/shared.j2.)

``stamp(talk)``: the moment an output says it was made: midnight UTC of ``talk.date``, else
``SOURCE_DATE_EPOCH`` (the reproducible-builds convention; a value that is not a whole
number of seconds is ignored, as the convention asks), else None.
"""

from __future__ import annotations

import datetime as dt
import os

from .model import Talk

#: The reproducible-builds fallback when there is no date at all: 1980-01-01T00:00:00Z
#: (also the earliest time a zip entry can carry).
EPOCH_1980 = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def stamp(talk: Talk) -> dt.datetime | None:
    """When ``talk``'s outputs say they were made, in UTC (see the module docstring)."""
    if talk.date is not None:
        return dt.datetime.combine(talk.date, dt.time(), dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return None
