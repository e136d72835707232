"""Every change to Rasa is installed from bot/rasa_patches/, is in place after install(), is refused on another
Rasa version, and is still needed: Rasa's original still does what the replacement works around."""

import inspect

import pytest

from bot import rasa_patches


@pytest.fixture(scope="module")
def installed():
    return {p.where: p for p in rasa_patches.install()}


def test_each_replacement_is_in_place(installed):
    assert set(installed) == {
        "RemoteAction.run",
        "FailSafeTrackerStore.on_tracker_store_error",
        "FailSafeTrackerStore.on_tracker_store_retrieve_error",
        "MessageProcessor.save_tracker",
        "Agent.handle_message",
        "RemoteAction._validate_action_result",
        "Event.resolve_by_type",
        "DaskGraphRunner.run",
        "MessageProcessor._send_bot_messages",
    }
    for p in installed.values():
        assert p.current() is p.replacement, p.where
        assert rasa_patches.original(p) is not p.replacement, p.where


def test_install_twice_changes_nothing(installed):
    again = rasa_patches.install()
    assert [p.current() for p in again] == [p.replacement for p in again]
    assert all(rasa_patches.original(p) is not p.replacement for p in again)


def test_another_rasa_version_is_refused():
    rasa_patches.check_version("3.6.21")
    with pytest.raises(RuntimeError, match="written for Rasa 3.6.21, found 3.7.0"):
        rasa_patches.check_version("3.7.0")


@pytest.mark.parametrize(
    "where, still_there",
    [
        # the action call: no bound of its own but Rasa's 300 s default
        ("RemoteAction.run", "DEFAULT_REQUEST_TIMEOUT"),
        # a failing store: logged, then an empty in-memory tracker instead of an error
        ("FailSafeTrackerStore.on_tracker_store_error", "logger.error"),
        ("FailSafeTrackerStore.on_tracker_store_retrieve_error", "logger.error"),
        # every response checked by jsonschema.validate, schema and all, on each call
        ("RemoteAction._validate_action_result", "validate(result, self.action_response_format_spec())"),
        # every stored event's class found by walking all subclasses of Event
        ("Event.resolve_by_type", "all_subclasses(Event)"),
        # every graph run scheduled by dask anew: minimal schema, dask graph, dask's ordering
        ("DaskGraphRunner.run", "dask.get(run_graph, run_targets)"),
        # bot messages sent as they are logged: the case code would be stored with them
        ("MessageProcessor._send_bot_messages", "await output_channel.send_response(tracker.sender_id, e.message())"),
    ],
)
def test_rasas_original_still_needs_the_patch(installed, where, still_there):
    source = inspect.getsource(rasa_patches.original(installed[where]))
    assert still_there in source


def test_store_failures_are_not_caught_by_rasa_itself(installed):
    for where in ("Agent.handle_message", "MessageProcessor.save_tracker"):
        source = inspect.getsource(rasa_patches.original(installed[where]))
        assert "StoreUnavailable" not in source and "BUSY" not in source
