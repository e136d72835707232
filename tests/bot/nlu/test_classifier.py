"""SentenceLogisticRegression builds the very matrix Rasa's LogisticRegressionClassifier builds (so the trained model
and its probabilities are the same), from messages featurised as the pipeline does: two sparse featurizers, each
with sequence and sentence features, with and without dense sentence features."""

import numpy as np
import pytest
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import random as sparse_random

from bot.nlu.components import SentenceLogisticRegression

rng = np.random.default_rng(7)


def message(tokens: int, dense: bool) -> Message:
    m = Message({TEXT: "我父亲85岁，枣庄的低保户"})
    for origin, width in (("words", 40), ("chars", 90)):
        m.add_features(
            Features(
                sparse_random(tokens, width, density=0.2, random_state=int(rng.integers(1e6)), format="coo"),
                FEATURE_TYPE_SEQUENCE,
                TEXT,
                origin,
            )
        )
        m.add_features(
            Features(
                sparse_random(1, width, density=0.5, random_state=int(rng.integers(1e6)), format="coo"),
                FEATURE_TYPE_SENTENCE,
                TEXT,
                origin,
            )
        )
    if dense:
        m.add_features(Features(rng.random((1, 5)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    return m


@pytest.mark.parametrize("dense", [False, True])
def test_the_input_matrix_is_rasas(dense):
    messages = [message(tokens, dense) for tokens in (1, 7, 12)]
    ours = SentenceLogisticRegression._create_X(None, messages)
    rasas = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.shape == rasas.shape == (3, 130 + (5 if dense else 0))
    assert (ours != rasas).nnz == 0
