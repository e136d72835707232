"""The examples generated from the KB for the kind classifier, and the classifier trained on them."""

import pytest

from bot.dialogue import question
from bot.nlu import kind_classifier
from bot.nlu.kind_examples import (
    ITEM_ASPECTS,
    LABELS,
    TEMPLATES,
    generate,
    generate_tagged,
    kind_of,
    spoken_number,
    vocabulary,
)
from bot.nlu.normaliser import normalize
from rules_kb import default_kb

KB = default_kb()


@pytest.fixture(scope="module")
def examples():
    return generate(KB)


def test_every_label_is_a_kind_of_question_or_an_item_aspect():
    kinds = {v for k, v in vars(question).items() if k.isupper() and isinstance(v, str)}
    for label in LABELS:
        assert kind_of(label) in kinds, label
    assert {label.split("/")[1] for label in LABELS if "/" in label} == set(ITEM_ASPECTS)
    assert set(TEMPLATES) == set(LABELS)


def test_every_label_has_examples(examples):
    labels = {label for _, label in examples}
    assert labels == set(LABELS)


def test_every_item_of_the_kb_and_every_synonym_is_in_every_item_aspect(examples):
    names = {i.name for city in KB.items.values() for i in city}
    words = names | {s for ss in KB.regions.item_synonyms.values() for s in ss}
    assert set(vocabulary(KB).items) == words
    for aspect in ITEM_ASPECTS:
        texts = [t for t, label in examples if label == f"item/{aspect}"]
        # spoken forms may change a word (高龄 -> 高零), so an item counts if its name or a heard form is there
        missing = [w for w in words if not any(w in t for t in texts)]
        assert len(missing) <= len(words) // 10, (aspect, missing)
    every = " ".join(t for t, label in examples if label.startswith("item/"))
    assert {n for n in names if n not in every} <= {n for n in names if "高龄" in n or "低保" in n or "补贴" in n}


def test_the_examples_are_the_same_every_time_and_unique():
    a, b = generate_tagged(KB), generate_tagged(KB)
    assert a == b
    assert len({t for t, _, _ in a}) == len(a)


def test_spoken_numbers():
    assert [spoken_number(n) for n in (60, 76, 85, 100, 103, 110)] == [
        "六十",
        "七十六",
        "八十五",
        "一百",
        "一百零三",
        "一百一十",
    ]


@pytest.fixture(scope="module")
def clf():
    return kind_classifier.trained()


# Sentences written for this test, in none of the templates (checked below) and none of the evaluation sets.
NEW = [
    ("俺老娘今年八十一了，在嘉祥住，都有啥好处", "entitlements"),
    ("长护险到底怎么个报法，得去哪儿申请", "item"),
    ("高龄津贴是哪个部门发的呀", "item"),
    ("为啥俺家老头子没有高龄补贴", "why_not"),
    ("济宁和聊城的高龄津贴谁家给得多", "compare"),
    ("谢谢你了", "thank"),
    ("我要打电话找人工问", "handoff"),
    ("帮我查查明天的天气预报", "out_of_scope"),
]


def test_the_new_sentences_are_not_in_the_templates(examples):
    texts = {t for t, _ in examples}
    for sentence, _ in NEW:
        assert normalize(sentence) not in texts
        assert sentence.rstrip("？?") not in {t.rstrip("？?") for t in texts}


@pytest.mark.parametrize("sentence,kind", NEW)
def test_the_trained_classifier_reads_new_sentences(clf, sentence, kind):
    assert clf.read(normalize(sentence)).kind == kind


def test_item_aspects_of_new_sentences(clf):
    assert clf.read(normalize("长期护理保险一个月能给报多少钱")).label == "item/amount"
    assert clf.read(normalize("这个补贴咋去办手续")).label == "item/apply"


def test_the_hand_reading_is_scikit_learns(clf):
    vectorizer, model = clf._fit
    for text in ("俺爹八十五滕洲的低保有啥补贴", "济宁护理型床位占比目标是多少", "x"):
        expected = model.predict_proba(vectorizer.transform([text]))[0]
        assert clf.probabilities(text) == pytest.approx(expected, abs=1e-9)


def test_held_out_split_is_disjoint_and_the_classifier_generalises_to_it():
    pairs = kind_classifier.examples()
    train, held = kind_classifier.split(pairs)
    assert not {t for t, _ in train} & {t for t, _ in held}
    clf = kind_classifier.KindClassifier(train)
    right = sum(clf.read(t).label == label for t, label in held)
    assert right / len(held) > 0.9
