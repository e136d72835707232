"""The review queue on a real SQLite file: what enters and what does not (triage), masking, counts, resolving,
retention, and the export as NLU data that Rasa's own reader and `rasa data validate` accept."""

import shutil
import subprocess
import sys

import pytest
import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.handoff import triage
from bot.handoff.export import nlu_yaml
from bot.handoff.review import Entry
from bot.privacy import ID_MASK, PHONE_MASK
from tests.support.servers import ROOT

T0 = 1_800_000_000.0
DAY = 86400
INTENTS = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]


def said(text, intent="ask_item", confidence=0.9, low=0.3):
    return triage.said({"intent": {"name": intent, "confidence": confidence}}, text, low)


def entry(now_said, kind="item", text="", response=None, handoff=None, feedback_on=None):
    return triage.entry_for(
        now_said=now_said,
        kind=kind,
        reply_text=text,
        reply_response=response,
        handoff=handoff,
        channel="rest",
        city="枣庄",
        item="高龄津贴",
        feedback_on=feedback_on,
        low_confidence=0.3,
    )


# ------------------------------------------------------------------------------------------------ what enters


def test_answered_turns_with_a_confident_intent_do_not_enter():
    assert entry(said("枣庄高龄津贴多少钱"), text="枣庄·高龄津贴：…") is None
    assert entry(said("有用"), kind="useful", text="谢谢您的反馈！") is None
    assert entry(said("同意"), kind="consent", text="您的查询码：…") is None


@pytest.mark.parametrize(
    "response,reason", [("utter_default", "not_understood"), ("utter_out_of_scope", "out_of_scope")]
)
def test_not_understood_and_out_of_scope_enter(response, reason):
    e = entry(said("呃呃呃", "inform", 0.8), kind="unclear", response=response)
    assert (e.reason, e.text, e.reply, e.intent, e.confidence) == (reason, "呃呃呃", response, "inform", 0.8)
    assert (e.channel, e.city, e.item) == ("rest", "枣庄", "高龄津贴")


def test_low_confidence_enters_with_the_classifiers_own_intent():
    parse = {
        "intent": {"name": "nlu_fallback", "confidence": 0.3},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_policy", "confidence": 0.22}],
    }
    s = triage.said(parse, "养老床位建多少", 0.3)
    e = entry(s, kind="policy", text="相关政策规定：…")
    assert (e.reason, e.intent, e.confidence) == ("low_confidence", "ask_policy", 0.22)
    assert entry(said("养老床位建多少", confidence=0.25), text="相关政策规定：…").reason == "low_confidence"


def test_a_handoff_enters_with_why():
    e = entry(said("转人工"), kind="handoff", text="人工咨询请拨打…", handoff="asked")
    assert (e.reason, e.detail, e.text) == ("handoff", "asked", "转人工")


EVENTS = [
    {
        "event": "user",
        "text": "枣庄百岁老人每月多少",
        "parse_data": {"intent": {"name": "ask_item", "confidence": 0.7}},
    },
    {"event": "bot", "text": "枣庄·高龄津贴：100周岁及以上……"},
    {
        "event": "user",
        "text": "我爸85岁能领什么",
        "parse_data": {"intent": {"name": "ask_entitlement", "confidence": 0.9}},
    },
    {"event": "bot", "text": "您父亲（枣庄，85周岁）……"},
    {"event": "user", "text": "没用", "parse_data": {"intent": {"name": "deny", "confidence": 0.6}}},
]


def test_negative_feedback_enters_as_the_question_and_answer_it_is_about():
    e = entry(
        said("没用", "deny", 0.6), kind="feedback", text="谢谢，已记下…", feedback_on=triage.answer_referred_to(EVENTS)
    )
    assert (e.reason, e.text, e.reply, e.detail) == ("feedback", "我爸85岁能领什么", "您父亲（枣庄，85周岁）……", "没用")
    assert (e.intent, e.confidence) == ("ask_entitlement", 0.9)
    # the widget's button under the earlier answer names it by its start
    e = entry(said("没用"), kind="feedback", feedback_on=triage.answer_referred_to(EVENTS, "枣庄·高龄津贴"))
    assert (e.text, e.intent) == ("枣庄百岁老人每月多少", "ask_item")


def test_channel_names():
    assert triage.channel_of("rest", {"client": "widget"}) == "widget"
    assert triage.channel_of("wechat", {}) == "wechat"
    assert triage.channel_of(None, {}) == "rest"


# ------------------------------------------------------------------------------------------------ the store


def test_nothing_identifying_enters(queue):
    queue.add(
        Entry(
            "rest",
            "feedback",
            "身份证372901195203154321 手机13912345678 不对",
            reply="回答 13800001111",
            detail="15866668888",
        ),
        now=T0,
    )
    queue.resolve(1, "已回电 13912345678", now=T0)
    (row,) = queue.entries("all")
    for field in ("text", "reply", "detail", "note"):
        assert not any(d in row[field] for d in ("372901195203154321", "13912345678", "13800001111", "15866668888"))
    assert ID_MASK in row["text"] and PHONE_MASK in row["text"] and PHONE_MASK in row["note"]


def test_counts_entries_and_resolving(queue):
    queue.add(Entry("wechat", "not_understood", "呃", city="济宁"), now=T0)
    queue.add(Entry("widget", "feedback", "枣庄高龄津贴", city="枣庄", item="高龄津贴"), now=T0 + DAY)
    queue.add(Entry("widget", "handoff", "转人工", city="枣庄", item="高龄津贴"), now=T0 + DAY + 60)
    counts = queue.counts()
    assert counts["by_channel"] == {"widget": 2, "wechat": 1}
    assert counts["by_topic"] == {"枣庄 · 高龄津贴": 2, "济宁": 1}
    assert sorted(counts["by_day"].values()) == [1, 2] and len(counts["by_day"]) == 2
    assert counts["by_reason"] == {"not_understood": 1, "feedback": 1, "handoff": 1}
    assert [e["text"] for e in queue.entries()] == ["转人工", "枣庄高龄津贴", "呃"]  # newest first
    first = queue.entries()[-1]["id"]
    assert queue.resolve(first, "已补充训练数据", now=T0 + 2 * DAY)
    assert not queue.resolve(9999, "无此条目")
    assert [e["text"] for e in queue.entries("resolved")] == ["呃"]
    assert queue.entries("resolved")[0]["note"] == "已补充训练数据"
    assert (queue.counts()["open"], queue.counts()["resolved"]) == (2, 1)


def test_entries_older_than_the_retention_are_deleted(queue):
    queue.add(Entry("rest", "handoff", "旧的"), now=T0)
    queue.add(Entry("rest", "handoff", "新的"), now=T0 + 80 * DAY)
    assert queue.purge(now=T0 + 90 * DAY + 1) == 1
    assert [e["text"] for e in queue.entries("all")] == ["新的"]
    # writing purges too (at most hourly)
    queue.add(Entry("rest", "handoff", "更新的"), now=T0 + 171 * DAY)
    assert [e["text"] for e in queue.entries("all")] == ["更新的"]


def test_an_unknown_reason_is_refused(queue):
    with pytest.raises(ValueError):
        queue.add(Entry("rest", "whatever", "x"))


# ------------------------------------------------------------------------------------------------ export

EXAMPLES = [
    ("俺娘在[滕州](county)快九十了 咋领钱", "ask_entitlement"),
    ("图书馆{收费}吗", "ask_item"),
    ("我的号码[手机号已隐去]（请回电）", "inform"),
    ("俺娘在[滕州](county)快九十了 咋领钱", "ask_entitlement"),
]


def test_the_export_is_nlu_yaml_rasa_reads_with_the_chosen_intents():
    text = nlu_yaml(EXAMPLES, INTENTS)
    assert text.startswith('version: "3.1"\nnlu:\n')
    data = RasaYAMLReader().reads(text)
    got = sorted((m.get("text"), m.get("intent")) for m in data.training_examples)
    assert got == sorted(
        [
            ("俺娘在【滕州】（county）快九十了 咋领钱", "ask_entitlement"),
            ("图书馆｛收费｝吗", "ask_item"),
            ("我的号码【手机号已隐去】（请回电）", "inform"),
        ]
    )
    assert not data.entities  # annotation syntax in what people typed is not read as entities


def test_an_intent_not_in_the_domain_is_refused():
    with pytest.raises(ValueError):
        nlu_yaml([("你好", "chitchat")], INTENTS)
    with pytest.raises(ValueError):
        nlu_yaml([("啊", "nlu_fallback")], INTENTS)


@pytest.mark.slow  # rasa data validate in a subprocess: about 6 s
def test_rasa_data_validate_accepts_the_export_beside_the_projects_data(tmp_path):
    """As a reviewer would add it to data/nlu/: no warning either."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "nlu" / "review_export.yml").write_text(
        nlu_yaml(
            [("俺娘九十二了在临清住 每个月能拿几个钱", "ask_entitlement"), ("公园进门收钱不 俺是峄城的", "ask_item")],
            INTENTS,
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "data",
            "validate",
            "--domain",
            str(ROOT / "domain.yml"),
            "--data",
            str(data),
            "--config",
            str(ROOT / "config.yml"),
            "--fail-on-warnings",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


# issue 20 (7): characters YAML cannot hold, as people's messages may carry them
@pytest.mark.parametrize(
    "char",
    [
        "\u0007",
        "\u0000",
        "\u001b",
        "\u007f",
        "\u0085",
        "\u0086",
        "\u009f",
        "\ufffe",
        "\uffff",
        "\ud800",
        "\u2028",
        "\u2029",
        "\x0b",
        "\x0c",
        "\U0010ffff",
    ],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_every_export_is_loadable_whatever_characters_the_messages_hold(char):
    text = nlu_yaml([(f"枣庄{char}高龄津贴{char}多少钱", "ask_item"), (char, "inform")], INTENTS)
    yaml.safe_load(text)  # PyYAML refuses control characters and non-characters
    data = RasaYAMLReader().reads(text)
    assert [m.get("text") for m in data.training_examples] in (["枣庄高龄津贴多少钱"], ["枣庄 高龄津贴 多少钱"])


# issue 20 (11): a lone surrogate (JSON "\ud800") in a message
def test_a_message_with_a_lone_surrogate_keeps_its_entry(queue):
    entry_id = queue.add(Entry("rest", "not_understood", "呃\ud800呃 \udfff", reply="utter_default", detail="\ud800"))
    (row,) = queue.entries("all")
    assert row["id"] == entry_id and row["text"] == "呃\ufffd呃 \ufffd" and row["detail"] == "\ufffd"
    assert queue.resolve(entry_id, "备注\ud800")
