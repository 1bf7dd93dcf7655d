"""Business-day calendars.

Agreement, paragraph 3: amounts "shall be paid ... on or within three business days after the
dates indicated"; paragraph 1: the agreement ends on "the fourth business day after" termination.

A business day is Monday to Friday and not a holiday of the agreement's calendar. Calendars come
from the ``holidays`` package:

* ``US``: United States federal holidays, with observed days (4 July 2004, a Sunday, is observed
  on Monday 5 July).
* ``NYSE`` (or any financial market code ``holidays`` knows, e.g. ``XNYS``, ``XLON``): exchange
  closures, including the special ones (11-14 September 2001).
* a country or a country-subdivision: ``CA``, ``GB``, ``US-ID`` (Idaho), ``CA-ON``.

Holidays are looked up year by year and cached, so a calendar answers for any date.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

import holidays

from .errors import AgreementError

_ONE_DAY = dt.timedelta(days=1)


def _codes(registry: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The codes a ``holidays`` registry lists (its class names and aliases left out)."""
    return frozenset(name for names in registry.values() for name in names[1:] if name.isupper())


@lru_cache(maxsize=1)
def _known_codes() -> tuple[frozenset[str], frozenset[str]]:
    # The registry names every calendar without importing it: importing them all to check one
    # code would cost a quarter of a second on every start of the CLI.
    from holidays import registry

    return _codes(registry.FINANCIAL), _codes(registry.COUNTRIES)


class BusinessCalendar:
    """Monday to Friday less the holidays of one ``holidays`` calendar."""

    __slots__ = ("_after", "_by_year", "_country", "_market", "_subdiv", "_tables", "code")

    def __init__(self, code: str) -> None:
        self.code = code
        self._by_year: dict[int, frozenset[dt.date]] = {}
        # (day, count) -> the count-th business day after day. A portfolio over 30 years has at
        # most ~11,000 distinct days times a handful of counts: small enough to keep them all.
        self._after: dict[tuple[dt.date, int], dt.date] = {}
        self._tables: dict[int, holidays.HolidayBase] = {}
        markets, countries = _known_codes()
        self._market: str | None = None
        self._country: str | None = None
        self._subdiv: str | None = None
        if code in markets:
            self._market = code
            return
        country, _, subdiv = code.partition("-")
        if country not in countries:
            raise AgreementError(
                "calendar",
                code,
                "unknown calendar; use a country code such as US or GB, a country-subdivision "
                "such as US-ID, or a market such as NYSE",
            )
        self._country = country
        self._subdiv = subdiv or None
        if self._subdiv is not None:
            try:
                self._table(2000)
            except NotImplementedError:
                raise AgreementError(
                    "calendar", code, f"{country} has no subdivision {subdiv}"
                ) from None

    def _table(self, year: int) -> holidays.HolidayBase:
        table = self._tables.get(year)
        if table is None:
            if self._market is not None:
                table = holidays.financial_holidays(self._market, years=year)
            else:
                assert self._country is not None
                table = holidays.country_holidays(self._country, subdiv=self._subdiv, years=year)
            self._tables[year] = table
        return table

    def holidays_in(self, year: int) -> frozenset[dt.date]:
        """The holiday dates of one year (observed days included)."""
        cached = self._by_year.get(year)
        if cached is None:
            # Observed days of a neighbouring year's holiday (1 January on a Saturday is
            # observed on 31 December) are listed under the year they fall in.
            cached = frozenset(day for day in self._table(year) if day.year == year)
            self._by_year[year] = cached
        return cached

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday's name, or None if ``day`` is not a holiday of this calendar."""
        if day not in self.holidays_in(day.year):
            return None
        name = self._table(day.year).get(day)
        return None if name is None else str(name)

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th business day after ``day``.

        Counting starts the day after ``day``; ``day`` itself never counts, business day or not:
        3 business days after Sunday 30 June 2002 is Wednesday 3 July 2002. ``count`` 0 gives
        ``day`` itself.
        """
        key = (day, count)
        found = self._after.get(key)
        if found is None:
            if count < 0:
                raise ValueError("count must not be negative")
            found = day
            remaining = count
            year = -1
            closed: frozenset[dt.date] = frozenset()
            while remaining:
                found += _ONE_DAY
                if found.year != year:  # the year's holidays, read once per year crossed
                    year = found.year
                    closed = self.holidays_in(year)
                if found.weekday() < 5 and found not in closed:
                    remaining -= 1
            self._after[key] = found
        return found

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.code!r})"


@cache
def get_calendar(code: str) -> BusinessCalendar:
    """The shared calendar for ``code`` (raises :class:`AgreementError` if it is unknown)."""
    return BusinessCalendar(code)
