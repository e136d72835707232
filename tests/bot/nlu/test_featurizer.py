"""SentenceCountVectorsFeaturizer makes the sentence features Rasa's CountVectorsFeaturizer makes (the trained
model's own vectorizers, words and character n-grams), and no per-token features of the text, which nothing in
the pipeline reads."""

import pytest
from rasa.core.agent import Agent
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import TEXT

from bot.nlu.components import SentenceCountVectorsFeaturizer
from tests.support.servers import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"
TEXTS = [
    ["我", "父亲", "85", "岁", "枣庄", "的", "低保户"],
    ["谢谢"],
    ["济宁", "长期护理保险", "什么", "时候", "全覆盖"],
]


@pytest.fixture(scope="module")
def featurizers():
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    nodes = Agent.load(str(MODEL)).processor.graph_runner._instantiated_nodes.values()
    found = [n._component for n in nodes if isinstance(getattr(n, "_component", None), SentenceCountVectorsFeaturizer)]
    assert len(found) == 2, "config.yml: two SentenceCountVectorsFeaturizer (words, char n-grams)"
    return found


def test_the_sentence_features_are_rasas_and_there_are_no_sequence_features(featurizers):
    for featurizer in featurizers:
        sequence, sentence = featurizer._create_features(TEXT, TEXTS)
        rasa_sequence, rasa_sentence = CountVectorsFeaturizer._create_features(featurizer, TEXT, TEXTS)
        assert sequence == [None] * len(TEXTS) and all(s is not None for s in rasa_sequence)
        for ours, theirs in zip(sentence, rasa_sentence):
            assert ours.shape == theirs.shape and (ours.tocsr() != theirs.tocsr()).nnz == 0
            assert ours.nnz > 0
