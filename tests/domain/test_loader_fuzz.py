"""Whatever a person types into an agreement file, the loader answers with an agreement or an
AgreementError (one line naming the field), never another exception: no traceback reaches them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from support import BAKER_FILE, ROOT

from comp_tracker.domain import AgreementError, parse_agreement

SEEDS = [
    BAKER_FILE.read_text(),
    (ROOT / "data" / "scenarios" / "readme-example.toml").read_text(),
]
#: Things people type by mistake: other values, other types, odd characters.
TOKENS = [
    '"',
    "'",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    ",",
    ".",
    "-",
    "\n",
    "#",
    " ",
    "0",
    "1",
    "-1",
    "1e9",
    "nan",
    "inf",
    "true",
    '""',
    "[]",
    "{}",
    "2002-02-30",
    "2002-06-30T00:00:00",
    "0.001",
    "66,000.00",
    '"abc"',
    "installment = 0",
    "installment = 9",
    'reason = "fired"',
    'type = "payment"',
    "amount = 1e30",
    "amount = -5",
    "1234567890123456789012345678.001",
    '"9' + "9" * 40 + '.5"',
    "\t",
    "é",
    "\x7f",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 12)))
        insert = draw(st.sampled_from(TOKENS) | st.text(max_size=3))
        text = text[:start] + insert + text[end:]
    return text


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_any_typo_gives_an_agreement_or_a_clear_error(text):
    try:
        parse_agreement(text)
    except AgreementError as error:
        message = error.message
        assert message
        assert "\n" not in message.strip() or message.startswith("TOML")
