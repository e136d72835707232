"""The graph runner that calls the model's nodes in their order instead of scheduling them with dask gives what
dask gives: the same parse of real messages (intent, ranking, entities) and the same next action, with the
trained model."""

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.rasa_patches import speedups
from tests.support.servers import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"
MESSAGES = [
    "我父亲85岁，枣庄的低保户，能领什么？",
    "你好",
    "谢谢",
    "济宁长期护理保险什么时候全覆盖？",
    "转人工",
    "今天天气怎么样",
    "我爸70岁，曲阜的，不是低保也不是特困，失独",
    "88",
    "都不是",
]


@pytest.fixture(scope="module")
def agent():
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    rasa_patches.install()
    return Agent.load(str(MODEL))


def parse_and_predict(agent, text):
    parsed = asyncio.run(agent.parse_message(text))
    tracker = DialogueStateTracker.from_events(
        "g",
        [ActionExecuted("action_listen"), UserUttered(text, parsed["intent"], parsed["entities"])],
        agent.domain.slots,
    )
    action, prediction = agent.processor.predict_next_with_tracker_if_should(tracker)
    return parsed, action.name(), prediction.max_confidence


def test_the_ordered_runner_answers_as_dask_does(agent, monkeypatch):
    ours = [parse_and_predict(agent, t) for t in MESSAGES]
    monkeypatch.setattr(type(agent.processor.graph_runner), "run", speedups._run_original)
    theirs = [parse_and_predict(agent, t) for t in MESSAGES]
    assert ours == theirs
    assert ours[0][1] == "action_answer" and ours[0][0]["intent"]["name"] == "ask_entitlement"
