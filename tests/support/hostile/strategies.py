"""Hypothesis strategies for hostile input, built from tests/support/hostile/corpus.py."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from tests.support.hostile import corpus

_WORDS = (
    corpus.NUMERAL_WORDS
    + corpus.GLUE
    + corpus.PUNCT
    + corpus.SPACES
    + corpus.TRADITIONAL
    + corpus.FULL_WIDTH
    + corpus.ODD
)


@st.composite
def pii(draw):
    """(kind, canonical digits, as written) -- an ID card or mobile number in any of the ways people write it."""
    return corpus.new_pii(random.Random(draw(st.integers(0, 2**32))))


fragments = st.one_of(
    st.sampled_from(corpus.MESSAGES + corpus.INJECTIONS),
    st.sampled_from(corpus.kb_words()),
    st.sampled_from(_WORDS),
    st.integers(0, 10**20).map(str),
    st.text(alphabet=corpus.DIGITS_ANY + corpus.CN_DIGITS + "〇幺Xx -+　", max_size=25),
    st.text(max_size=12),  # anything Unicode has (no lone surrogates: HTTP bodies are decoded UTF-8)
    pii().map(lambda p: p[2]),
)
short_text = st.lists(fragments, max_size=30).map("".join)


@st.composite
def long_text(draw):
    """A fragment repeated up to MAX_INPUT_CHARS: the shapes that make naive code quadratic."""
    unit = draw(short_text.filter(bool))
    return (unit * (10_000 // len(unit) + 1))[: draw(st.integers(1, 10_000))]


texts = st.one_of(short_text, short_text, short_text, long_text())
queries = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["", "0", "1700000000", "a" * 40]))
