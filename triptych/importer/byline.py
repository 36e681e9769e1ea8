"""Bylines and dates as articles write them: "By Dana Reyes · 12 May 2026",
"Dana Reyes · Follow · 5 min read · May 12, 2026", "2026-05-12T09:00:00Z"."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                            "sep", "oct", "nov", "dec"))}
#: Parts of a byline that are neither a name nor a date (Medium's buttons and read time).
_NOISE = re.compile(r"^(follow|share|listen|\d+\s*min read|published( in .*)?|posted|member-only story|updated.*)$",
                    re.IGNORECASE)


def parse_date(text: str) -> str:
    """An ISO date (YYYY-MM-DD) from the ways bylines write one ("12 May 2026",
    "May 12, 2026", "2026-05-12T09:00:00Z"), or "" when ``text`` is not one."""
    text = text.strip().lower().replace(",", " ")
    text = re.sub(r"^(published|posted|updated|on)\s+", "", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[t ].*)?$", text)
    words = text.split()
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        if len(words) == 3 and words[0].isdigit() and words[1][:3] in _MONTHS and words[2].isdigit():
            return dt.date(int(words[2]), _MONTHS[words[1][:3]], int(words[0])).isoformat()
        if len(words) == 3 and words[0][:3] in _MONTHS and words[1].isdigit() and words[2].isdigit():
            return dt.date(int(words[2]), _MONTHS[words[0][:3]], int(words[1])).isoformat()
    except ValueError:
        return ""
    return ""


def parse_byline(text: str) -> tuple[str, str]:
    """(author, ISO date) from a byline; ("", "") when ``text`` is not one."""
    if len(text) > 200:
        return "", ""
    starts_by = bool(re.match(r"^by\s", text, re.IGNORECASE))
    parts = [p.strip() for p in re.split(r"\s*[·•|]\s*|\s+[—–]\s+|\s+on\s+(?=\w+\s+\d|\d)", text) if p.strip()]
    name = date = ""
    for part in parts:
        part = re.sub(r"^by\s+", "", part, flags=re.IGNORECASE)
        if not date and parse_date(part):
            date = parse_date(part)
        elif _NOISE.match(part):
            continue
        elif not name and 1 <= len(part.split()) <= 5 and not any(ch.isdigit() for ch in part):
            name = part
        else:
            return "", ""
    if starts_by or (date and len(parts) > 1) or (date and not name):
        return name, date
    return "", ""
