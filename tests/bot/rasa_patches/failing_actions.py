"""A package of one rasa-sdk action that fails, for the in-process action tests."""

from rasa_sdk import Action


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher, tracker, domain):
        raise RuntimeError("a bug in the action")
