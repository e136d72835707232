"""Custom actions inside the Rasa process (endpoints.yml `actions_module`): Rasa's own RemoteAction runs the real
action_answer through rasa-sdk's executor and gets the answer an action server would give; an action that fails
is the busy reply, as over HTTP; an endpoint naming both a URL and a module is refused."""

import asyncio
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, FollowupAction, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches
from bot.nlu.extractor import extract
from bot.nlu.normaliser import normalize
from bot.rasa_patches import inprocess_actions
from bot.rasa_patches.busy import BUSY_TEXT

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
HEADLINE = "我父亲85岁，枣庄的低保户，能领什么？"


@pytest.fixture(scope="module", autouse=True)
def installed():
    rasa_patches.install()


def run_action(module: str, text: str = HEADLINE, **endpoint):
    entities = [e.to_rasa("KBEntityExtractor") for e in extract(normalize(text))]
    tracker = DialogueStateTracker.from_events(
        "inproc",
        [
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": "ask_entitlement", "confidence": 0.9}, entities),
        ],
        DOMAIN.slots,
    )
    config = EndpointConfig(actions_module=module, enable_selective_domain=True, **endpoint)
    action = RemoteAction("action_answer", config)
    out = CollectingOutputChannel()
    return asyncio.run(action.run(out, TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN))


def test_the_real_action_answers_the_headline_in_process():
    events = run_action("actions")
    [said] = [e.text for e in events if isinstance(e, BotUttered)]
    # 枣庄, 85, 低保: 高龄津贴 30 元 (办公室便函〔2023〕1号 附件1 第4项), 经济困难老年人补贴 100 元 (附件2 第17项)
    assert "高龄津贴" in said and "30元" in said and "100元" in said and "市卫生健康委" in said
    assert "85元" not in said, "济宁's 护理补贴 figure must not appear for 枣庄"
    assert {e.key for e in events if isinstance(e, SlotSet)} == {"topic", "asked"}
    assert [e.action_name for e in events if isinstance(e, FollowupAction)] == ["action_listen"]


def test_a_failing_action_is_the_busy_reply():
    events = run_action("tests.bot.rasa_patches.failing_actions")
    assert [e.text for e in events if isinstance(e, BotUttered)] == [BUSY_TEXT]


def test_an_endpoint_with_a_url_and_a_module_is_refused():
    with pytest.raises(RasaException, match="keep one"):
        inprocess_actions.actions_module(EndpointConfig(url="http://localhost:5055/webhook", actions_module="actions"))
    assert inprocess_actions.actions_module(EndpointConfig(url="http://localhost:5055/webhook")) is None
    assert inprocess_actions.actions_module(EndpointConfig(actions_module="actions")) == "actions"


def test_a_package_without_actions_is_refused():
    with pytest.raises(RasaException, match="no rasa-sdk actions"):
        inprocess_actions.executor("bot.rasa_patches.busy")
