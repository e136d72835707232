"""bot/nlu/extractor.py under hostile input: spans inside the text, KB words that do not overlap, every value one the
KB (or the planner's economic question) knows, and time that stays linear in the length of the text."""

from hypothesis import example, given

from bot.nlu.normaliser import normalize
from tests.support.hostile import oracles
from tests.support.hostile.strategies import texts


@given(texts)
@example("85岁，" * 2500)  # was quadratic: every age was checked against every entity found before it
@example("低保都不是" * 2000)  # was quadratic: every 都不是 looked at every entity
@example("1岁" * 5000)
@example("低保特困都不是，失能")
@example("重度残疾人护理补贴")
def test_extract_holds_for_any_text(text):
    oracles.check_extract(text)


@given(texts)
def test_extract_holds_for_what_normalize_gives_it(text):
    """What the NLU pipeline really does: extract reads the normalised text."""
    oracles.check_extract(normalize(text))
