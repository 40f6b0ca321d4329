"""Calendar periods for questions over time (trends, risk histories, changes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from service.errors import InvalidInput, Problem
from service.i18n import _

MAX_PERIODS = 120  # one request answers at most ten years by month


class Interval(StrEnum):
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


def _months(interval: Interval) -> int:
    return {Interval.MONTH: 1, Interval.QUARTER: 3, Interval.YEAR: 12}[interval]


def _start_of(day: dt.date, interval: Interval) -> dt.date:
    if interval is Interval.WEEK:
        return day - dt.timedelta(days=day.weekday())
    month = (day.month - 1) // _months(interval) * _months(interval) + 1
    return dt.date(day.year, month, 1)


def _next(start: dt.date, interval: Interval) -> dt.date:
    if interval is Interval.WEEK:
        return start + dt.timedelta(days=7)
    months = start.year * 12 + start.month - 1 + _months(interval)
    return dt.date(months // 12, months % 12 + 1, 1)


def check_range(start: dt.date, end: dt.date, field: str = "to") -> None:
    if end < start:
        raise InvalidInput(
            [Problem("query", None, field, _("{end} is before {start}", end=end, start=start))]
        )


def periods(start: dt.date, end: dt.date, interval: Interval) -> list[Period]:
    """The calendar periods (weeks from Monday, months, quarters, years) that cover
    `start`..`end`, the first and last cut to them."""
    check_range(start, end)
    found: list[Period] = []
    begin = _start_of(start, interval)
    while begin <= end:
        following = _next(begin, interval)
        found.append(Period(max(begin, start), min(following - dt.timedelta(days=1), end)))
        if len(found) > MAX_PERIODS:
            raise InvalidInput(
                [
                    Problem(
                        "query",
                        None,
                        "interval",
                        _("more than {max_periods} periods: widen it", max_periods=MAX_PERIODS),
                    )
                ]
            )
        begin = following
    return found


def steps(start: dt.date, end: dt.date, step_days: int) -> list[dt.date]:
    """`start`, every `step_days` after it, and `end`: the days a history is computed on."""
    check_range(start, end)
    if step_days < 1:
        raise InvalidInput([Problem("query", None, "step", _("a step is one day or more"))])
    days = [start + dt.timedelta(days=n) for n in range(0, (end - start).days + 1, step_days)]
    if days[-1] != end:
        days.append(end)
    if len(days) > MAX_PERIODS:
        raise InvalidInput(
            [
                Problem(
                    "query",
                    None,
                    "step",
                    _("more than {max_periods} days asked: widen it", max_periods=MAX_PERIODS),
                )
            ]
        )
    return days
