"""YANGLAO_READER: who decides the kind of a question (bot/dialogue/reader.py)."""

import pytest

from bot.dialogue import question as reading
from bot.dialogue import reader
from bot.nlu import kind_classifier
from bot.nlu.normaliser import normalize
from rules_kb import default_kb

KB = default_kb()
REAL = [
    ("我父亲85岁，枣庄的低保户，能领什么？", ""),
    ("聊城的高龄津贴找哪个部门", "ask_item"),
    ("济宁和枣庄的高龄津贴哪个高", "ask_item"),
    ("为啥俺爹领不到高龄津贴", "ask_item"),
    ("济宁护理型床位占比目标是多少", "ask_policy"),
    ("今天天气怎么样", "out_of_scope"),
    ("那个嗯", "inform"),
    ("转人工", ""),
]


def read(text, intent=""):
    return reading.read_question(normalize(text), intent, KB)


def test_the_mode_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("YANGLAO_READER", raising=False)
    assert reader.mode() == reader.RULES
    for value in ("rules", "model", "hybrid", " Hybrid "):
        monkeypatch.setenv("YANGLAO_READER", value)
        assert reader.mode() == value.strip().lower()
    monkeypatch.setenv("YANGLAO_READER", "neural")
    with pytest.raises(ValueError):
        reader.mode()


@pytest.mark.parametrize("text,intent", REAL)
def test_rules_mode_is_the_rules_reading_unchanged(monkeypatch, text, intent):
    monkeypatch.setenv("YANGLAO_READER", "rules")
    monkeypatch.setattr(kind_classifier, "read", lambda text: pytest.fail("rules mode asked the classifier"))
    unwrapped = reading.read_question.__wrapped__(normalize(text), intent, KB)
    assert repr(read(text, intent)) == repr(unwrapped)


def test_rules_mode_reads_as_before(monkeypatch):
    monkeypatch.delenv("YANGLAO_READER", raising=False)
    got = [(q.kind, q.aspect, q.items) for q in (read(t, i) for t, i in REAL)]
    assert got == [
        ("entitlements", "about", ()),
        ("item", "agency", ("高龄津贴",)),
        ("compare", "about", ("高龄津贴",)),
        ("why_not", "about", ("高龄津贴",)),
        ("policy", "about", ()),
        ("out_of_scope", "about", ()),
        ("unclear", "about", ()),
        ("handoff", "about", ()),
    ]


def fixed(label, probability):
    return lambda text: kind_classifier.Reading(label, probability)


def test_model_mode_takes_the_classifiers_kind_and_keeps_the_rest(monkeypatch):
    monkeypatch.setenv("YANGLAO_READER", "model")
    monkeypatch.setattr(kind_classifier, "read", fixed("compare", 0.3))
    q = read("聊城的高龄津贴找哪个部门", "ask_item")
    assert (q.kind, q.aspect, q.items, q.cities) == ("compare", "agency", ("高龄津贴",), ("聊城",))
    monkeypatch.setattr(kind_classifier, "read", fixed("item/amount", 0.9))
    q = read("我父亲85岁，枣庄的低保户", "")  # no aspect in the words: the classifier's
    assert (q.kind, q.aspect, q.cities) == ("item", "amount", ("枣庄",))
    monkeypatch.setattr(kind_classifier, "read", fixed("item/amount", 0.9))
    q = read("聊城的高龄津贴", "")  # the same kind as the rules': the rules' reading as it is
    assert (q.kind, q.aspect) == ("item", "about")
    assert read("  ", "").kind == reading.UNCLEAR  # nothing to read


def test_hybrid_leaves_what_the_rules_are_sure_of(monkeypatch):
    monkeypatch.setenv("YANGLAO_READER", "hybrid")
    monkeypatch.setattr(kind_classifier, "read", fixed("greet", 0.99))
    for text, intent in REAL[:5] + REAL[7:]:
        assert read(text, intent).kind != "greet", text


def test_hybrid_asks_the_classifier_where_the_rules_guess(monkeypatch):
    monkeypatch.setenv("YANGLAO_READER", "hybrid")
    monkeypatch.setattr(kind_classifier, "read", fixed("dont_know", 0.9))
    assert read("那个嗯", "inform").kind == "dont_know"  # the rules read nothing (unclear)
    assert read("这咋整啊", "ask_item").kind == "dont_know"  # the intent's tie-break
    monkeypatch.setattr(kind_classifier, "read", fixed("dont_know", reader.HYBRID_CONFIDENCE - 0.01))
    assert read("那个嗯", "inform").kind == reading.UNCLEAR  # not sure enough: the rules' reading


def test_the_intent_decides_with_the_rules_only_where_the_words_say_nothing(monkeypatch):
    monkeypatch.setenv("YANGLAO_READER", "rules")
    assert read("这咋整啊", "ask_item").kind == reading.ITEM
    assert read("这咋整啊", "").kind != reading.ITEM


def test_warm_trains_only_when_the_mode_needs_it(monkeypatch):
    calls = []
    monkeypatch.setattr(kind_classifier, "trained", lambda: calls.append(1))
    monkeypatch.setenv("YANGLAO_READER", "rules")
    reader.warm()
    assert calls == []
    monkeypatch.setenv("YANGLAO_READER", "hybrid")
    reader.warm()
    assert calls == [1]


def test_the_reader_modules_do_not_import_rasa():
    import subprocess
    import sys

    code = (
        "import sys; import bot.dialogue.reader, bot.nlu.kind_classifier, bot.dialogue.question;"
        "sys.exit(any(m == 'rasa' or m.startswith('rasa.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_roles_mode_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("YANGLAO_ROLES", raising=False)
    assert reader.roles_mode() == reader.RULES
    monkeypatch.setenv("YANGLAO_ROLES", "model")
    assert reader.roles_mode() == reader.MODEL
    monkeypatch.setenv("YANGLAO_ROLES", "hybrid")  # no hybrid for the roles
    with pytest.raises(ValueError):
        reader.roles_mode()


def test_roles_rules_are_stated_items_unchanged_and_model_asks_the_learned_roles(monkeypatch):
    from bot.nlu import item_roles
    from bot.nlu.extractor import extract

    text = normalize("我爸在敬老院住着，高龄津贴怎么申请")
    entities = extract(text, KB)
    monkeypatch.setenv("YANGLAO_ROLES", "rules")
    assert reading.stated_items(text, entities) == reading.stated_items.__wrapped__(text, entities)
    monkeypatch.setenv("YANGLAO_ROLES", "model")

    class Everything:
        def stated(self, text, start, end):
            return True

    monkeypatch.setattr(item_roles, "trained", lambda: Everything())
    assert reading.stated_items(text, entities) == [e for e in entities if e.entity == "item"]
