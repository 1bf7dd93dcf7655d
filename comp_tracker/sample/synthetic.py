"""Synthetic retention agreements of fictional companies and people, for demos and load tests.

:func:`generate` yields companies, each with its employees and their agreements, until exactly
``n`` agreements have been yielded. The agreements look like the model agreement (Exhibit 10.12:
installments, a three-business-day payment window, 10% late interest, acceleration on a
termination without cause) and carry a history as of :data:`GENERATED_AS_OF`: payments on time,
late (mostly with the late interest owed by then, sometimes the principal only, leaving interest
owed), in two parts, or not made (mostly installments that fell due lately, which nobody has
chased yet), a few terminations, changes in control and amendments.

Every name is invented: companies are built from generic word parts, people from common given
names and surnames drawn at random, with a middle initial (and a numeral if that is still not
unique). The output depends only on ``n`` and ``seed`` (one :class:`random.Random`, no clock).

Every agreement is valid: :func:`~comp_tracker.domain.validate` accepts its terms with its own
events plus the employee's termination (if any) and the company's change in control (if any and
the agreement was effective on or before it). The generator models what the engine does with
them (forfeiture, acceleration, the end of the agreement), so it never pays a forfeited
installment or more than is owed; it validates each agreement all the same.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    BusinessCalendar,
    ChangeInControl,
    DayCount,
    Event,
    Installment,
    Payment,
    Termination,
    TerminationReason,
    Terms,
    compute_schedule,
    get_calendar,
    owed,
    validate,
)
from comp_tracker.domain.planner import slug

#: The "today" of every generated history: no event is dated after it. Fixed, never the clock.
GENERATED_AS_OF = dt.date(2026, 11, 21)

_FIRST_EFFECTIVE = dt.date(2000, 1, 1)
_LAST_EFFECTIVE = dt.date(2028, 12, 31)
_ONE_DAY = dt.timedelta(days=1)
_LAST_EVENT = GENERATED_AS_OF  # events may be dated on it, never after
_MIN_CENTS = 5_000_00
_MAX_CENTS = 750_000_00


@dataclass(frozen=True, slots=True)
class SyntheticAgreement:
    terms: Terms  # terms.company / terms.employee are the company's and employee's names
    events: tuple[Event, ...]  # this agreement's payments and amendments, in date order


@dataclass(frozen=True, slots=True)
class SyntheticEmployee:
    name: str
    termination: Termination | None  # applies to all of this employee's agreements
    agreements: tuple[SyntheticAgreement, ...]  # 1 to 3


@dataclass(frozen=True, slots=True)
class SyntheticCompany:
    name: str
    calendar: str  # every agreement of the company uses this calendar
    #: Applies to every agreement of the company effective on or before its date.
    change_in_control: ChangeInControl | None
    employees: tuple[SyntheticEmployee, ...]


def generate(n: int, seed: int) -> Iterator[SyntheticCompany]:
    """Yield companies until exactly n agreements in total have been yielded."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number from 0, not {n!r}")
    return _Generator(seed).companies(n)


# -- word lists (generic words; any resemblance to a real name is a coincidence) ---------------

_GIVEN_NAMES = (
    "Aaron", "Abigail", "Adam", "Adrian", "Aisha", "Alan", "Alice", "Amanda", "Amir", "Ana",
    "Andrea", "Andrew", "Angela", "Anil", "Anna", "Anthony", "Beatriz", "Benjamin", "Brenda",
    "Brian", "Camila", "Carlos", "Carmen", "Caroline", "Catherine", "Charles", "Chen", "Chloe",
    "Christine", "Claire", "Daniel", "David", "Deborah", "Dennis", "Diana", "Diego", "Dmitri",
    "Donna", "Douglas", "Edward", "Elena", "Elizabeth", "Emily", "Emma", "Eric", "Farah",
    "Fatima", "Fernando", "Fiona", "Frances", "Gabriel", "Gary", "George", "Grace", "Gregory",
    "Hannah", "Harold", "Helen", "Hiroshi", "Ian", "Ingrid", "Irene", "Isabel", "Jacob", "James",
    "Janet", "Javier", "Jennifer", "Jessica", "Joan", "Jonathan", "Jorge", "Joseph", "Joyce",
    "Julia", "Karen", "Katherine", "Keith", "Kenji", "Kevin", "Laura", "Lawrence", "Leah",
    "Linda", "Lucia", "Luis", "Margaret", "Maria", "Mark", "Martha", "Matthew", "Mei", "Melissa",
    "Michael", "Michelle", "Miguel", "Mohammed", "Nadia", "Nancy", "Natalie", "Nathan", "Nicole",
    "Noah", "Olga", "Oliver", "Omar", "Pamela", "Patricia", "Patrick", "Paul", "Pedro", "Peter",
    "Priya", "Rachel", "Rajesh", "Raymond", "Rebecca", "Richard", "Robert", "Roberto", "Ruth",
    "Samuel", "Sandra", "Sarah", "Sean", "Sharon", "Sofia", "Stephen", "Susan", "Tamara",
    "Teresa", "Thomas", "Timothy", "Valerie", "Victor", "Vikram", "Walter", "Wei", "William",
    "Yara", "Yusuf", "Zoe",
)  # fmt: skip
_SURNAMES = (
    "Abbott", "Acosta", "Adeyemi", "Alvarez", "Andersen", "Arnold", "Bailey", "Banerjee",
    "Barnes", "Becker", "Bennett", "Bergstrom", "Bishop", "Boyle", "Bradley", "Brennan",
    "Caldwell", "Campbell", "Carlson", "Castillo", "Chandler", "Chavez", "Cohen", "Coleman",
    "Collins", "Contreras", "Cooper", "Costa", "Crawford", "Dalton", "Das", "Delgado", "Dixon",
    "Donovan", "Dubois", "Duncan", "Eriksen", "Espinoza", "Farrell", "Ferguson", "Fischer",
    "Fleming", "Fuentes", "Gallagher", "Garcia", "Gardner", "Gomez", "Gonzalez", "Graham",
    "Grant", "Gupta", "Hansen", "Harper", "Hartmann", "Hayes", "Henderson", "Herrera", "Hoffman",
    "Holland", "Hughes", "Ibrahim", "Iyer", "Jensen", "Jimenez", "Kaplan", "Kaur", "Keller",
    "Kennedy", "Khan", "Kim", "Klein", "Kowalski", "Kramer", "Larsen", "Lawson", "Lindqvist",
    "Lopez", "Lucas", "MacLeod", "Malik", "Marsh", "Martinez", "McCarthy", "Mehta", "Mendoza",
    "Meyer", "Molina", "Moreno", "Morrison", "Mueller", "Murphy", "Nakamura", "Navarro", "Nguyen",
    "Nielsen", "Novak", "O'Brien", "Okafor", "Okonkwo", "Olsen", "Ortega", "Owens", "Park",
    "Patel", "Pearson", "Petrov", "Pruitt", "Porter", "Quinn", "Ramirez", "Rao", "Reyes",
    "Rhodes", "Richter", "Rivera", "Romero", "Rossi", "Russo", "Sanchez", "Santos", "Sato",
    "Schneider", "Schultz", "Sharma", "Silva", "Singh", "Sullivan", "Suzuki", "Tanaka", "Torres",
    "Tran", "Vargas", "Vasquez", "Vogel", "Wagner", "Walsh", "Watanabe", "Weber", "Whitfield",
    "Yamamoto", "Yilmaz", "Zhang", "Zimmerman",
)  # fmt: skip
_INITIALS = "ABCDEFGHJKLMNPRSTVW"
_NAME_WORDS = (
    "Alder", "Amber", "Antler", "Aspen", "Basalt", "Bayberry", "Birch", "Bracken", "Briar",
    "Bristle", "Cairn", "Canyon", "Cedar", "Cobalt", "Copperleaf", "Crag", "Crestline",
    "Driftwood", "Dunmore", "Elkhorn", "Emberly", "Fairhaven", "Fernwood", "Flint", "Foxglove",
    "Glacier", "Granite", "Greystone", "Hawthorn", "Heron", "Hollis", "Ironbark", "Juniper",
    "Kestrel", "Lakemont", "Larkspur", "Ledger", "Linden", "Marlow", "Meadowlark", "Millbrook",
    "Mossgate", "Northwind", "Oakhurst", "Obsidian", "Osprey", "Pinecrest", "Quarry", "Quill",
    "Redfern", "Riverbend", "Rowan", "Saltmarsh", "Sandstone", "Shale", "Sorrel", "Stillwater",
    "Stonebrook", "Sycamore", "Talus", "Thornbury", "Timberline", "Tidewater", "Wexford",
    "Willowby", "Windrow", "Wrenfield", "Yarrow",
)  # fmt: skip
_PLACE_WORDS = (
    "Bay", "Bend", "Bluff", "Brook", "Butte", "Cove", "Creek", "Crossing", "Divide", "Falls",
    "Ferry", "Fork", "Gap", "Glen", "Grove", "Harbor", "Heights", "Hollow", "Knoll", "Landing",
    "Ledge", "Meadow", "Mesa", "Mill", "Notch", "Pass", "Peak", "Point", "Prairie", "Ridge",
    "Rock", "Run", "Shoals", "Summit", "Terrace", "Vale", "Valley", "Vista",
)  # fmt: skip
_INDUSTRIES = (
    "Aggregates", "Alloy", "Analytics", "Bancorp", "Biosciences", "Brands", "Cement",
    "Chemicals", "Components", "Controls", "Diagnostics", "Energy", "Engineering", "Fabrication",
    "Foods", "Freight", "Gas", "Instruments", "Insurance", "Logistics", "Marine", "Materials",
    "Medical", "Metals", "Milling", "Minerals", "Mining", "Networks", "Packaging", "Pharma",
    "Pipeline", "Polymers", "Power", "Resources", "Robotics", "Semiconductor", "Software",
    "Steel", "Systems", "Textiles", "Timber", "Utilities",
)  # fmt: skip
_SUFFIXES = {
    "GB": ("plc", "Limited", "Holdings plc", "Group plc"),
    "CA": ("Inc.", "Ltd.", "Corporation", "Holdings Inc."),
}
_US_SUFFIXES = ("Corp.", "Inc.", "Company", "Holdings", "Corporation", "Group, Inc.", "Co.")
_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip
_ROMAN = ("", "", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _cumulative(weights: tuple[int, ...]) -> list[int]:
    return list(accumulate(weights))


# (value, weight) tables, drawn with ``rng.choices(values, cum_weights=...)``.
_CALENDARS = ("US", "NYSE", "US-ID", "US-NY", "GB", "CA")
_CALENDAR_W = _cumulative((70, 15, 4, 4, 4, 3))
_EMPLOYEES = tuple(range(1, 31))
_EMPLOYEES_W = _cumulative(tuple(10 if k <= 5 else 4 if k <= 12 else 1 for k in _EMPLOYEES))
_AGREEMENTS = (1, 2, 3)
_AGREEMENTS_W = _cumulative((80, 15, 5))
_TERM_MONTHS = (6, 9, 12, 14, 15, 18, 24, 30, 36, 42, 48)
_TERM_MONTHS_W = _cumulative((5, 5, 20, 8, 5, 18, 20, 5, 9, 2, 3))
_COUNTS = (1, 2, 3, 4, 5, 6)
_COUNTS_W = _cumulative((18, 35, 22, 13, 6, 6))
_TOTAL_THOUSANDS = ((20, 100), (100, 400), (400, 1_200), (1_200, 3_000))
_TOTAL_W = _cumulative((30, 40, 22, 8))
_REASONS = (
    TerminationReason.WITHOUT_CAUSE,
    TerminationReason.GOOD_REASON,
    TerminationReason.RESIGNATION,
    TerminationReason.DEATH,
    TerminationReason.DISABILITY,
    TerminationReason.FOR_CAUSE,
    TerminationReason.MALFEASANCE,
    TerminationReason.REFUSAL,
    TerminationReason.FELONY,
)
_REASONS_W = _cumulative((40, 5, 19, 8, 9, 3, 5, 4, 7))
# What happens to an installment that fell due before GENERATED_AS_OF, in tenths of a percent.
# An installment left unpaid for long would be a lawsuit, not a steady state: only one whose
# deadline passed in the last _RECENT_DAYS days is often still unpaid (HR has not caught it yet).
_ON_TIME, _LATE, _PARTIAL, _UNPAID = "on_time", "late", "partial", "unpaid"
_OUTCOMES = (_ON_TIME, _LATE, _PARTIAL, _UNPAID)
_OUTCOMES_W = _cumulative((800, 130, 65, 5))
_RECENT_OUTCOMES_W = _cumulative((800, 80, 40, 80))
_ACCELERATED_OUTCOMES_W = _cumulative((720, 185, 90, 5))  # "pay a few days after"
_RECENT_ACCELERATED_OUTCOMES_W = _cumulative((720, 135, 65, 80))
_RECENT_DAYS = 120
_LATE_DAYS = ((1, 30), (31, 120), (121, 400))
_LATE_DAYS_W = _cumulative((40, 40, 20))
#: Of late payments (and of second parts): the share that settles everything owed on that day,
#: principal and the late interest; the others pay the principal only and leave interest owed.
_SETTLED_SHARE = 0.8
#: Of second parts that settle: the share paid within the payment window (the rest after it).
_SECOND_PART_ON_TIME_SHARE = 0.5

_TERMINATION_SHARE = 0.12  # of employees
_CHANGE_IN_CONTROL_SHARE = 0.03  # of companies
_AMENDMENT_SHARE = 0.02  # of agreements
_UNNAMED_PAYMENT_SHARE = 0.2  # of payments that could leave the installment unnamed safely


def _numeral(number: int) -> str:
    """II to X in Roman numerals, then digits: the suffix that tells two namesakes apart."""
    return _ROMAN[number] if number < len(_ROMAN) else str(number)


def _cents(cents: int) -> Decimal:
    """An exact two-decimal amount from integer cents (Decimal('66000.00'), never a float)."""
    return Decimal(cents).scaleb(-2)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - _ONE_DAY


def _add_months(day: dt.date, months: int, month_end: bool) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _month_end(year, month + 1)
    if month_end:
        return last
    return last.replace(day=min(day.day, last.day))


@dataclass(slots=True)
class _Payable:
    """An installment as the events leave it: its number, amount and the due date in force."""

    number: int
    amount: Decimal
    due: dt.date
    accelerated: bool


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.agreements = 0  # running counter: part of every agreement id
        self.company_names: set[str] = set()
        self.people: set[str] = set()

    # -- the run -------------------------------------------------------------------------------

    def companies(self, n: int) -> Iterator[SyntheticCompany]:
        while self.agreements < n:
            yield self.company(n - self.agreements)

    def company(self, budget: int) -> SyntheticCompany:
        """One company with at most ``budget`` agreements in all."""
        rng = self.rng
        code = rng.choices(_CALENDARS, cum_weights=_CALENDAR_W)[0]
        cal = get_calendar(code)
        name = self.company_name(code)
        company_id = slug(" ".join(name.split()[:2]))
        form = self.form()
        law = self.governing_law(code)

        counts: list[int] = []
        for _ in range(rng.choices(_EMPLOYEES, cum_weights=_EMPLOYEES_W)[0]):
            count = min(rng.choices(_AGREEMENTS, cum_weights=_AGREEMENTS_W)[0], budget)
            counts.append(count)
            budget -= count
            if not budget:
                break
        # Retention programmes: a company grants most of its agreements on a few dates.
        programmes = [self.day_between(_FIRST_EFFECTIVE, _LAST_EFFECTIVE) for _ in range(3)]

        people: list[tuple[str, list[Terms]]] = []
        for count in counts:
            person, surname = self.person_name()
            effectives = self.effective_dates(cal, count, programmes)
            terms = [
                self.terms(name, company_id, person, slug(surname), cal, form, law, effective)
                for effective in effectives
            ]
            people.append((person, terms))

        change_in_control = None
        if rng.random() < _CHANGE_IN_CONTROL_SHARE:
            change_in_control = self.change_in_control(cal, [t for _, ts in people for t in ts])

        employees = []
        for person, terms_list in people:
            termination = None
            if rng.random() < _TERMINATION_SHARE:
                termination = self.termination(cal, terms_list)
            agreements = tuple(
                self.history(cal, terms, termination, change_in_control) for terms in terms_list
            )
            employees.append(SyntheticEmployee(person, termination, agreements))
        return SyntheticCompany(name, code, change_in_control, tuple(employees))

    # -- names ---------------------------------------------------------------------------------

    def company_name(self, calendar: str) -> str:
        rng = self.rng
        suffixes = _SUFFIXES.get(calendar, _US_SUFFIXES)
        for _ in range(20):
            stem = rng.choice(_NAME_WORDS)
            if rng.random() < 0.7:
                stem = f"{stem} {rng.choice(_PLACE_WORDS)}"
            industry, suffix = rng.choice(_INDUSTRIES), rng.choice(suffixes)
            name = f"{stem} {industry} {suffix}"
            if name not in self.company_names:
                break
        number = 2
        while name in self.company_names:  # 20 draws all taken: "Cedar Bay Foods II Inc."
            name = f"{stem} {industry} {_numeral(number)} {suffix}"
            number += 1
        self.company_names.add(name)
        return name

    def person_name(self) -> tuple[str, str]:
        """A new name and its surname: "Maria T. Okafor" (or "Maria T. Okafor II" if taken)."""
        rng = self.rng
        for _ in range(5):
            surname = rng.choice(_SURNAMES)
            name = f"{rng.choice(_GIVEN_NAMES)} {rng.choice(_INITIALS)}. {surname}"
            if name not in self.people:
                break
        base, number = name, 2
        while name in self.people:
            name = f"{base} {_numeral(number)}"
            number += 1
        self.people.add(name)
        return name, surname

    # -- terms ---------------------------------------------------------------------------------

    def form(self) -> dict[str, object]:
        """The company's form of agreement: the model's terms, or (about 10%) a variation."""
        rng = self.rng
        if rng.random() >= 0.10:
            return {}
        form: dict[str, object] = {}
        while not form:
            if rng.random() < 0.5:
                form["payment_window_business_days"] = rng.choice((5, 10))
            if rng.random() < 0.5:
                form["late_interest_rate"] = rng.choice((Decimal("0.08"), Decimal("0.12")))
            if rng.random() < 0.4:
                form["day_count"] = rng.choice((DayCount.ACT_360, DayCount.THIRTY_360))
        return form

    def governing_law(self, calendar: str) -> str | None:
        rng = self.rng
        if rng.random() < 0.2:
            return None
        if calendar == "US-ID":
            return "Idaho"
        if calendar in ("US-NY", "NYSE") and rng.random() < 0.5:
            return "New York"
        if calendar in ("GB", "CA"):
            return rng.choice(("New York", "Delaware")) if rng.random() < 0.3 else None
        return "Delaware" if rng.random() < 0.35 else rng.choice(_STATES)

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    @staticmethod
    def business_day(cal: BusinessCalendar, day: dt.date, first: dt.date, last: dt.date) -> dt.date:
        """The first business day on or after ``day``, else the last one before it, within the
        bounds; ``day`` itself if there is none."""
        if cal.is_business_day(day):
            return day
        after = cal.add_business_days(day, 1)
        if after <= last:
            return after
        before = day - _ONE_DAY
        while before >= first and not cal.is_business_day(before):
            before -= _ONE_DAY
        return before if before >= first else day

    def effective_dates(
        self, cal: BusinessCalendar, count: int, programmes: list[dt.date]
    ) -> list[dt.date]:
        """One employee's effective dates: a new agreement every six months to four years."""
        rng = self.rng
        gaps = [rng.randint(180, 1_460) for _ in range(count - 1)]
        latest_first = _LAST_EFFECTIVE - dt.timedelta(days=sum(gaps))
        first = rng.choice(programmes) + dt.timedelta(days=rng.randint(0, 20))
        if rng.random() < 0.3 or first > latest_first:
            first = self.day_between(_FIRST_EFFECTIVE, latest_first)
        days = [first]
        for gap in gaps:
            days.append(days[-1] + dt.timedelta(days=gap))
        return [self.business_day(cal, d, _FIRST_EFFECTIVE, _LAST_EFFECTIVE) for d in days]

    def terms(
        self,
        company: str,
        company_slug: str,
        employee: str,
        surname: str,
        cal: BusinessCalendar,
        form: dict[str, object],
        law: str | None,
        effective: dt.date,
    ) -> Terms:
        rng = self.rng
        months = rng.choices(_TERM_MONTHS, cum_weights=_TERM_MONTHS_W)[0]
        count = rng.choices(_COUNTS, cum_weights=_COUNTS_W)[0]
        month_ends = rng.random() < 0.6  # "June 30, 2002" as in the model, else anniversaries
        # Installment i falls round(months * i / count) months after the effective date: at
        # least a month apart (count <= 6 <= months), so the dates are sorted and distinct.
        dues = [
            _add_months(effective, (months * i + count // 2) // count, month_ends)
            for i in range(1, count + 1)
        ]
        longest = _add_months(effective, _TERM_MONTHS[-1], month_end=False)
        if dues[-1] > longest:  # the month's end would make the term longer than four years
            dues[-1] = dues[-1].replace(day=1) - _ONE_DAY
        expires = cal.add_business_days(dues[-1], rng.choice((3, 4, 4, 5, 7, 10, 15, 20)))
        self.agreements += 1
        return Terms(
            id=f"{company_slug}-{effective.year}-{surname}-{self.agreements}",
            company=company,
            employee=employee,
            effective=effective,
            expires=expires,
            installments=tuple(
                Installment(due, amount)
                for due, amount in zip(dues, self.amounts(count), strict=True)
            ),
            calendar=cal.code,
            governing_law=law,
            **form,  # type: ignore[arg-type]
        )

    def amounts(self, count: int) -> list[Decimal]:
        """``count`` installment amounts, each from $5,000.00 to $750,000.00."""
        rng = self.rng
        shape = rng.random()
        if shape < 0.5:
            weights = [1] * count  # equal
        elif shape < 0.85:
            weights = list(range(1, count + 1))  # back-loaded, as the model's 1:2
        else:
            weights = [rng.randint(1, 4) for _ in range(count)]
        share = sum(weights)
        # The total (in thousands) keeps the smallest share >= $5,000 and the largest <= $750,000.
        floor = -(-5 * share // min(weights))
        cap = _MAX_CENTS // 1_000_00 * share // max(weights)
        low, high = rng.choices(_TOTAL_THOUSANDS, cum_weights=_TOTAL_W)[0]
        low, high = max(low, floor), min(high, cap)
        if low > high:  # the tier is out of reach for these shares: stay near the bound hit
            low, high = (low, min(cap, 2 * low)) if low == floor else (high * 2 // 3, high)
        total = rng.randint(low, high) * 1_000_00  # cents
        rounding = rng.random()
        result = []
        for weight in weights:
            cents = total * weight // share
            if rounding < 0.6:
                cents = round(cents, -5)  # whole thousands of dollars
            elif rounding < 0.85:
                cents = round(cents, -2)  # whole dollars
            else:
                cents -= rng.randint(0, 99)  # down, so the largest stays within the cap
            result.append(_cents(min(max(cents, _MIN_CENTS), _MAX_CENTS)))
        return result

    # -- events --------------------------------------------------------------------------------

    def change_in_control(
        self, cal: BusinessCalendar, terms: list[Terms]
    ) -> ChangeInControl | None:
        """On a day within one of the company's agreements in force before GENERATED_AS_OF."""
        started = [t for t in terms if t.effective < _LAST_EVENT]
        if not started:
            return None
        chosen = self.rng.choice(started)
        last = min(chosen.expires, _LAST_EVENT - _ONE_DAY)
        on = self.business_day(
            cal, self.day_between(chosen.effective, last), chosen.effective, last
        )
        return ChangeInControl(on)

    def termination(self, cal: BusinessCalendar, terms: list[Terms]) -> Termination | None:
        """On or after every agreement's effective date, within the term of one of them."""
        first = max(t.effective for t in terms)
        last = min(max(t.expires for t in terms), _LAST_EVENT - _ONE_DAY)
        if last < first:
            return None
        on = self.business_day(cal, self.day_between(first, last), first, last)
        return Termination(on, self.rng.choices(_REASONS, cum_weights=_REASONS_W)[0])

    def history(
        self,
        cal: BusinessCalendar,
        terms: Terms,
        termination: Termination | None,
        change_in_control: ChangeInControl | None,
    ) -> SyntheticAgreement:
        """The agreement's own events: maybe an amendment, then the payments."""
        if change_in_control is not None and change_in_control.date < terms.effective:
            change_in_control = None  # signed after the change in control: not affected
        installments, expires = terms.installments, terms.expires
        amendment = None
        if self.rng.random() < _AMENDMENT_SHARE:
            amendment = self.amendment(terms, termination, change_in_control)
            if amendment is not None:
                assert amendment.expires is not None
                expires = amendment.expires
                if amendment.installments is not None:
                    kept = tuple(i for i in installments if i.due <= amendment.date)
                    installments = kept + amendment.installments
        payable = _payable(cal, terms, installments, expires, termination, change_in_control)
        others: list[Event] = [
            e for e in (amendment, termination, change_in_control) if e is not None
        ]
        events: list[Event] = list(self.payments(cal, terms, payable, others))
        if amendment is not None:  # before the payments of its day, as the engine applies it
            at = next((i for i, e in enumerate(events) if e.date >= amendment.date), len(events))
            events.insert(at, amendment)
        merged = list(events)
        if termination is not None:
            merged.append(termination)
        if change_in_control is not None:
            merged.append(change_in_control)
        try:
            validate(terms, merged)
        except AgreementError as error:
            events = _repaired(terms, events, merged[len(events) :], error)
        return SyntheticAgreement(terms, tuple(events))

    def amendment(
        self,
        terms: Terms,
        termination: Termination | None,
        change_in_control: ChangeInControl | None,
    ) -> Amendment | None:
        """An extension, dated before the expiry and any termination or change in control, that
        may also push the installments not yet due back by as much (and raise them a little)."""
        rng = self.rng
        last = min(terms.expires, _LAST_EVENT)
        for event in (termination, change_in_control):
            if event is not None:
                last = min(last, event.date)
        last -= _ONE_DAY
        if last < terms.effective:
            return None
        on = self.day_between(terms.effective, last)
        extension = dt.timedelta(days=rng.choice((91, 182, 182, 273, 365)))
        later = [i for i in terms.installments if i.due > on]
        if not later or rng.random() < 0.5:
            return Amendment(on, expires=terms.expires + extension, ref="amendment")
        percent = rng.choice((100, 100, 105, 110, 120))
        moved = tuple(
            Installment(
                i.due + extension,
                _cents(min(int(i.amount.scaleb(2)) * percent // 100, _MAX_CENTS)),
            )
            for i in later
        )
        return Amendment(on, expires=terms.expires + extension, installments=moved, ref="amendment")

    def payments(
        self,
        cal: BusinessCalendar,
        terms: Terms,
        payable: list[_Payable],
        others: list[Event],
    ) -> list[Payment]:
        """Payments for the installments that fell due before GENERATED_AS_OF, in date order.

        ``others`` are the agreement's events other than payments (amendment, termination,
        change in control): with the payments made so far, they are what the engine needs to
        say what is owed on the day of a late payment that settles the installment.

        An installment is named on most payments. A payment may leave it unnamed only if it pays
        the installment in full on time and every earlier installment was paid in full by then
        (on time, or late with its interest): the engine applies an unnamed payment to the oldest
        amount owed, which is then this installment.
        """
        rng = self.rng
        window = terms.payment_window_business_days
        recent = _LAST_EVENT - dt.timedelta(days=_RECENT_DAYS)
        made: list[tuple[dt.date, int, Payment]] = []
        clean_through: dt.date | None = dt.date.min  # None: something earlier is still owed

        def pay(on: dt.date, number: int, amount: Decimal | None) -> None:
            """Pay ``amount`` on installment ``number``, or (None) everything owed on it then."""
            if amount is None:
                events = [*others, *(payment for _, _, payment in made)]
                state = compute_schedule(terms, events, on).installments[number - 1]
                amount = owed(state)
            made.append((on, number, Payment(on, amount, number)))

        for item in payable:
            if item.due >= _LAST_EVENT:
                clean_through = None
                continue
            deadline = cal.add_business_days(item.due, window)
            if deadline > recent:
                weights = _RECENT_ACCELERATED_OUTCOMES_W if item.accelerated else _RECENT_OUTCOMES_W
            else:
                weights = _ACCELERATED_OUTCOMES_W if item.accelerated else _OUTCOMES_W
            outcome = rng.choices(_OUTCOMES, cum_weights=weights)[0]
            settled_on: dt.date | None = None  # the day nothing is owed on it any more, if any
            if outcome == _ON_TIME:
                on = self.on_time(cal, item.due, rng.choice((0, 0, 0, 1, 1, 2, 3)))
                if on <= _LAST_EVENT:
                    settled_on = on
                    number: int | None = item.number
                    if (
                        clean_through is not None
                        and clean_through <= on
                        and rng.random() < _UNNAMED_PAYMENT_SHARE
                    ):
                        number = None
                    made.append((on, item.number, Payment(on, item.amount, number)))
            elif outcome == _PARTIAL:
                cents = int(item.amount.scaleb(2))
                part = cents * rng.randint(25, 75) // 100
                first_on = self.on_time(cal, item.due, rng.randint(0, window - 1))
                rest: Decimal | None = _cents(cents - part)
                settles = rng.random() < _SETTLED_SHARE
                second_on: dt.date | None = None
                if settles and rng.random() < _SECOND_PART_ON_TIME_SHARE:
                    # Within the window: the rest of the principal is all that is owed.
                    second_on = cal.add_business_days(item.due, rng.randint(window // 2, window))
                    second_on = max(first_on, second_on)
                elif deadline < _LAST_EVENT:  # after it: with the interest, or without
                    second_on = self.late_day(cal, deadline)
                    if settles:
                        rest = None
                if first_on <= _LAST_EVENT:
                    pay(first_on, item.number, _cents(part))
                if second_on is not None and second_on <= _LAST_EVENT:
                    pay(second_on, item.number, rest)
                    if settles:
                        settled_on = second_on
            elif outcome == _LATE and deadline < _LAST_EVENT:
                # Days to months after the deadline: with the interest, or the principal only.
                on = self.late_day(cal, deadline)
                if rng.random() < _SETTLED_SHARE:
                    pay(on, item.number, None)
                    settled_on = on
                else:
                    pay(on, item.number, item.amount)
            if settled_on is None:
                clean_through = None
            elif clean_through is not None:
                clean_through = max(clean_through, settled_on)
        made.sort(key=lambda m: (m[0], m[1]))
        return [
            Payment(p.date, p.amount, p.installment, ref=f"payment-{n}")
            for n, (_, _, p) in enumerate(made, start=1)
        ]

    def late_day(self, cal: BusinessCalendar, deadline: dt.date) -> dt.date:
        """A day (a business day if there is one) after ``deadline``, on or before the last."""
        rng = self.rng
        low, high = rng.choices(_LATE_DAYS, cum_weights=_LATE_DAYS_W)[0]
        on = deadline + dt.timedelta(days=rng.randint(low, high))
        if on > _LAST_EVENT:
            on = self.day_between(deadline + _ONE_DAY, _LAST_EVENT)
        return self.business_day(cal, on, deadline + _ONE_DAY, _LAST_EVENT)

    @staticmethod
    def on_time(cal: BusinessCalendar, due: dt.date, days: int) -> dt.date:
        """The due date (if a business day) or ``days`` business days after it."""
        if days == 0 and cal.is_business_day(due):
            return due
        return cal.add_business_days(due, max(days, 1))


def _payable(
    cal: BusinessCalendar,
    terms: Terms,
    installments: tuple[Installment, ...],
    expires: dt.date,
    termination: Termination | None,
    change_in_control: ChangeInControl | None,
) -> list[_Payable]:
    """The installments a termination or change in control leaves payable, as the engine has it.

    Either event counts only on or before the agreement's end (the earliest of the expiry, the
    Nth business day after a termination and a change in control); a termination is applied
    before a change in control on the same day. Installments due after the event are then
    accelerated to the termination date (a reason in ``accelerate_on``) or forfeited.
    """
    items = [_Payable(n, i.amount, i.due, False) for n, i in enumerate(installments, start=1)]
    events: list[tuple[dt.date, int, Termination | None]] = []
    if termination is not None:
        events.append((termination.date, 0, termination))
    if change_in_control is not None:
        events.append((change_in_control.date, 1, None))
    events.sort(key=lambda e: (e[0], e[1]))
    ends = expires
    forfeited: set[int] = set()
    for on, _, event in events:
        if on > ends:
            continue  # after the end: changes nothing
        accelerate = event is not None and event.reason in terms.accelerate_on
        for item in items:
            if item.number in forfeited or item.due <= on:
                continue
            if accelerate:
                item.due, item.accelerated = on, True
            else:
                forfeited.add(item.number)
        if event is not None:
            ends = min(ends, cal.add_business_days(on, terms.end_after_termination_business_days))
        else:
            ends = min(ends, on)
    return [item for item in items if item.number not in forfeited]


def _repaired(
    terms: Terms, events: list[Event], shared: list[Event], error: AgreementError
) -> list[Event]:
    """Drop the payment the engine refused (then the next, if any), or every payment and the
    amendment: a fallback that the generator, right by construction, should never need."""
    while True:
        refused = error.field.split(".")[0]
        kept = [e for e in events if e.ref != refused]
        if len(kept) == len(events):  # not one payment's fault
            kept = []
        events = kept
        try:
            validate(terms, events + shared)
        except AgreementError as again:
            if not events:
                raise
            error = again
        else:
            return events
