"""The learned role of an item named in a message: asked, or stated as a fact (bot/nlu/item_roles.py)."""

import pytest

from bot.nlu import item_roles
from bot.nlu.extractor import extract
from bot.nlu.kind_examples import vocabulary
from bot.nlu.normaliser import normalize
from rules_kb import default_kb

KB = default_kb()


@pytest.fixture(scope="module")
def examples():
    return item_roles.generate(KB)


def test_every_item_word_is_generated_in_both_roles(examples):
    for role in (item_roles.ASKED, item_roles.STATED):
        named = {t[s:e] for t, s, e, r in examples if r == role}
        assert named == set(vocabulary(KB).items), role


def test_the_spans_are_the_items(examples):
    words = set(vocabulary(KB).items)
    assert all(t[s:e] in words for t, s, e, _ in examples)


@pytest.fixture(scope="module")
def clf():
    return item_roles.trained()


def roles(clf, sentence):
    text = normalize(sentence)
    return {text[e.start : e.end]: clf.stated(text, e.start, e.end) for e in extract(text, KB) if e.entity == "item"}


# Written for this test: none is a template's sentence, none comes from an evaluation set.
def test_stated_and_asked_in_new_sentences(clf):
    assert roles(clf, "俺娘早就领着高龄津贴了，护理补贴能不能领") == {"高龄津贴": True, "护理补贴": False}
    assert roles(clf, "长期护理保险在哪儿办") == {"长期护理保险": False}
    assert roles(clf, "老爷子在敬老院住着呢 还能领点啥") == {"敬老院": True}


def test_the_hand_reading_is_scikit_learns(clf, examples):
    vectorizer, model = clf._fit
    for text, start, end, _ in examples[:20]:
        expected = model.predict_proba(vectorizer.transform([item_roles.features(text, start, end)]))[0][1]
        assert clf.stated_probability(text, start, end) == pytest.approx(expected, abs=1e-9)
