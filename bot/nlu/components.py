"""Rasa graph components: the text normaliser (runs before JiebaTokenizer), the KB entity extractor, the guard
of social intents and the intent classifier."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import ENTITIES, FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack

from bot import rasa_patches
from bot.dialogue import reader
from bot.nlu.extractor import extract
from bot.nlu.normaliser import normalize
from bot.nlu.social import social_kind
from rules_kb import default_kb

rasa_patches.install()  # every process that loads the model: busy replies when a part is down, speed-ups


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormalizer(GraphComponent):
    """Traditional -> simplified, full-width -> half-width, 八十五岁 -> 85岁, PII masked, whitespace tidied."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextNormalizer":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            text = message.get(TEXT)
            if text:
                clean = normalize(text)
                # Annotated spans point into the original text: only same-length rewrites are safe.
                if len(clean) == len(text) or not message.get(ENTITIES):
                    message.set(TEXT, clean)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(TEXT, normalize(text))
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class KBEntityExtractor(GraphComponent):
    """Places, statuses, items, ages, grades and relations, looked up in the KB's own vocabulary."""

    def __init__(self) -> None:
        self._kb = default_kb()  # a malformed KB raises here: the model refuses to load
        reader.warm()  # the kind classifier, if YANGLAO_READER asks for it, trained before the first turn

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KBEntityExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text:
                continue
            found = [e.to_rasa(type(self).__name__) for e in extract(text, self._kb)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


SOCIAL_INTENTS = ("greet", "thank", "goodbye")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SocialIntentGuard(GraphComponent):
    """Greet, thank and goodbye only for messages that are nothing else, by their words: Rasa answers those
    itself (no action-server call), and every other message goes to the planner, also when the classifier took
    "枣庄一样吗" for a greeting."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SocialIntentGuard":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            kind = social_kind(message.get(TEXT) or "")
            predicted = (message.get(INTENT) or {}).get("name")
            if kind:
                intent = {"name": kind, "confidence": 1.0}
            elif predicted in SOCIAL_INTENTS:
                intent = {"name": "inform", "confidence": (message.get(INTENT) or {}).get("confidence", 1.0)}
            else:
                continue
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceLogisticRegression(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier, its input built from the sentence features alone.

    Rasa's `_create_X` asks each message for its combined sparse features, which deep-copies and stacks the
    (large, per-token) sequence features too, only to throw them away: about a third of understanding a message
    here. The matrix it builds is the sentence features of each featurizer side by side, in the message's
    order, then the dense sentence features: built here directly, the same matrix, so the same model and the
    same probabilities."""

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        rows = []
        for message in messages:
            parts = [
                f.features
                for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()
            ]
            parts += [
                csr_matrix(f.features)
                for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_dense()
            ]
            rows.append(hstack(parts, format="csr") if parts else csr_matrix([]))
        return vstack(rows, format="csr")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer without the per-token (sequence) features of the message text.

    Rasa runs its vectorizer once per token for those, and once on the whole text for the sentence features,
    which it computes independently. Nothing in this pipeline reads the text's sequence features (the
    classifier, SentenceLogisticRegression, reads sentence features; the guard and the entity extractor read
    words; RulePolicy reads intents and entities), so only the sentence features are made: the same ones Rasa
    makes. A pipeline that adds DIET or a CRF extractor needs Rasa's CountVectorsFeaturizer back."""

    def _create_features(self, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[List[Any], List[Any]]:
        if attribute != TEXT or not self.vectorizers.get(attribute):
            return super()._create_features(attribute, all_tokens)
        sentences: List[Any] = []
        for tokens in all_tokens:
            if not tokens:
                sentences.append(None)
                continue
            vector = self.vectorizers[attribute].transform([" ".join(tokens)])
            vector.sort_indices()
            sentences.append(vector.tocoo())
        return [None] * len(all_tokens), sentences
