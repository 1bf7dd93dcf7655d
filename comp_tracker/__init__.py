"""comp-tracker: executive compensation agreement tracker.

Layers (data flows one way): ``cli`` -> ``domain``. The schedule engine in ``domain`` is pure
Python over values; it imports nothing else of ours and no database or UI package.
"""

__version__ = "0.1.0"
