"""Partial dates with a precision: '2011', '2011-09', '2011-09-06'."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

MONTHS = [calendar.month_name[i] for i in range(13)]
_FORMAT_PRECISION = {4: "year", 7: "month", 10: "day"}


def parse(value: str) -> tuple[int, int | None, int | None]:
    """Split a schema-valid date string; raise ValueError for an impossible one."""
    parts = value.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    if year < 1:
        raise ValueError(f"there is no year {parts[0]}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"there is no month {parts[1]}")
    if month is not None and day is not None:  # (a day comes with a month)
        dt.date(year, month, day)  # raises "day is out of range for month"
    return year, month, day


def natural_precision(value: str) -> str:
    return _FORMAT_PRECISION.get(len(value), "day")


@lru_cache(maxsize=8192)  # pure, and the same dates recur on many pages
def first_day(value: str) -> dt.date:
    year, month, day = parse(value)
    return dt.date(year, month or 1, day or 1)


@lru_cache(maxsize=8192)  # pure, and the same dates recur on many pages
def last_day(value: str) -> dt.date:
    year, month, day = parse(value)
    if month is None:
        return dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def sort_key(value: str) -> str:
    """Dates sort as strings once padded: '2011' < '2011-09' < '2011-09-06'."""
    return value


@lru_cache(maxsize=8192)  # pure, and the same dates recur on many pages
def human(value: str) -> str:
    year, month, day = parse(value)
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month]} {year}"
    return f"{day} {MONTHS[month]} {year}"


@lru_cache(maxsize=8192)
def human_span(first: str, last: str) -> str:
    """Two dates as a reader says a span: the year, and the month when both ends have the same day
    in it, said once at the end ('between 24 and 31 October 2024', 'between 29 October and 1
    November 2024', 'between 18 February and December 2005', 'between May and June 2011'); ends in
    different years, or with a year alone, in full ('between 2011 and March 2012'). Equal ends are
    one date: 'on 2 May 2011', 'in May 2011'."""
    if first == last:
        return f"{'on' if parse(first)[2] is not None else 'in'} {human(first)}"
    (y1, m1, d1), (y2, m2, d2) = parse(first), parse(last)
    if y1 != y2 or m1 is None or m2 is None:
        return f"between {human(first)} and {human(last)}"
    if m1 == m2 and d1 is not None and d2 is not None:
        return f"between {d1} and {d2} {MONTHS[m1]} {y1}"
    start = f"{d1} {MONTHS[m1]}" if d1 is not None else MONTHS[m1]
    return f"between {start} and {human(last)}"


def year_of(value: str) -> int:
    return int(value[:4])
