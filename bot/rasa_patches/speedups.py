"""Rasa 3.6 validates every action-server response with `jsonschema.validate`, which re-checks the large,
constant events schema against the meta-schema on each call: about 15 ms per custom action here, half of a
turn. This builds the validator once and validates each response against it — the same checks, once compiled.
Installed by bot.rasa_patches (with every other change to Rasa)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result
_schema = RemoteAction.action_response_format_spec()
_validator_class = validator_for(_schema)
_validator_class.check_schema(_schema)
_validator = _validator_class(_schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if _validator.is_valid(result):
        return True
    return _original(self, result)  # invalid: let Rasa raise its own detailed error


# Every stored event is turned back into its class by walking all subclasses of Event (a tenth of a turn's CPU
# here). Event classes are fixed once imported, so the answer per type name is remembered.
from rasa.shared.core.events import Event  # noqa: E402

_resolve_original = Event.resolve_by_type
_event_classes: Dict[Text, Any] = {}


def resolve_by_type(type_name: Text, default: Any = None) -> Any:
    cls = _event_classes.get(type_name)
    if cls is None:
        cls = _resolve_original(type_name, default)
        if cls is not None and cls is not default:
            _event_classes[type_name] = cls
    return cls


# Every message and every prediction runs the model's graph through dask's synchronous scheduler: the minimal
# schema, a dask graph and dask's task ordering are built anew each time, about a quarter of the graph's time
# here for a handful of cheap components. The nodes, their order and their inputs are the same on every run of
# one runner, so the order is worked out once per set of targets and the nodes are called in it, one after the
# other — what dask's synchronous scheduler does, in the same order of dependencies.
from rasa.engine.exceptions import GraphRunError  # noqa: E402
from rasa.engine.runner.dask import DaskGraphRunner  # noqa: E402

_run_original = DaskGraphRunner.run
_ORDER = "_yanglao_order"  # runner attribute: targets -> [(node name, names of the nodes it needs)]


def _order(runner: DaskGraphRunner, targets: Tuple[Text, ...]) -> List[Tuple[Text, Tuple[Text, ...]]]:
    cache: Dict[Tuple[Text, ...], Any] = runner.__dict__.setdefault(_ORDER, {})
    order = cache.get(targets)
    if order is None:
        schema = runner._graph_schema.minimal_graph_schema(list(targets))
        order, placed = [], set()

        def place(name: Text) -> None:
            node = schema.nodes.get(name)
            if node is None or name in placed:  # an input, or done
                return
            for need in node.needs.values():
                place(need)
            placed.add(name)
            order.append((name, tuple(node.needs.values())))

        for target in targets:
            place(target)
        cache[targets] = order
    return order


def run_graph(
    self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
) -> Dict[Text, Any]:
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    order = _order(self, run_targets)
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in self._graph_schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                "names passed to the `run` method are the same as node names in the graph schema."
            )
        results[name] = (name, value)  # as dask passes an input: (its name, its value)
    try:
        for name, needs in order:
            results[name] = self._instantiated_nodes[name](*(results[n] for n in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[t] for t in run_targets)
