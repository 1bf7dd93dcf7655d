"""The schedule engine: terms + events + an as-of date in, a schedule out.

Pure Python over immutable values (stdlib and ``holidays`` only): no database, no UI, no clock.
Every rule traces to a sentence of the model agreement; see :mod:`comp_tracker.domain.engine`.
"""

from . import model
from .agreement_file import AgreementFile, dump_agreement, load_agreement, parse_agreement
from .calendars import BusinessCalendar, get_calendar
from .daycount import DayCount
from .engine import compute_schedule, compute_schedules
from .errors import AgreementError, ScheduleError
from .flags import Flag, Stage, flags_of
from .model import *  # noqa: F403 -- the values: terms, events, schedules (model.__all__)
from .serialize import schedule_to_dict
from .standing import AgreementStatus, Standing, agreement_status, owed, standing_of
from .validation import validate, validate_events, validate_terms

__all__ = [
    "AgreementError",
    "AgreementFile",
    "AgreementStatus",
    "BusinessCalendar",
    "DayCount",
    "Flag",
    "ScheduleError",
    "Stage",
    "Standing",
    "agreement_status",
    "compute_schedule",
    "compute_schedules",
    "dump_agreement",
    "flags_of",
    "get_calendar",
    "load_agreement",
    "owed",
    "parse_agreement",
    "schedule_to_dict",
    "standing_of",
    "validate",
    "validate_events",
    "validate_terms",
]
__all__ += model.__all__
