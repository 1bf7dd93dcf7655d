"""The examples in the engine's and the accruals' docstrings are run, so they stay true."""

from __future__ import annotations

import doctest

import pytest

from comp_tracker.domain import accruals, engine


@pytest.mark.parametrize("module", [engine, accruals], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
