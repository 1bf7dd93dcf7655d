"""The examples in the docstrings of the engine, the accruals, the planner and the input readers
are run, so they stay true."""

from __future__ import annotations

import doctest

import pytest

from comp_tracker.domain import accruals, engine, inputs, planner


@pytest.mark.parametrize("module", [engine, accruals, planner, inputs], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
