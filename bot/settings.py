"""One way to read settings: the environment, a channel's section of credentials.yml, and the endpoints file.

Why: the web channel, the WeChat channel, the handoff database and scripts/run.sh each read these in their own
way, so a blank value or a `${VAR}` meant something different in each, and "is this production?" was decided in
three places. Everything now reads them here, by one rule:

- A channel's setting comes from its credentials.yml section when given there. Missing, null or blank ("" or
  spaces) there means "not given": the environment variable of the same meaning is read instead (the one named
  beside it in credentials.yml, `env(...)` below).
- An environment variable that is unset or blank is not given either: the setting keeps its default, or is
  reported missing where it has none (the WeChat channel's token, AppID, AppSecret). Values are stripped.
- The endpoints file is read by Rasa's own reader (`read_endpoint_config`, `AvailableEndpoints`), so `${VAR}`
  means in every process what it means to `rasa run`: the variable's value. The file is read whole, as Rasa
  reads it, so every `${VAR}` in it must be set wherever it is read. A `${VAR}` naming an unset variable is a
  `SettingsError` naming the file and the variable, before anything starts; Rasa alone catches only a whole
  unquoted value, and would keep `x${VAR}` or a quoted "${VAR}" as text. A variable set but blank gives a blank
  value, which counts as not given (REDIS_PASSWORD="": no password; ACTION_URL="": no action server).
- Production or not is `Deployment.production`, decided here only: YANGLAO_ENV=production (or the web channel's
  `environment` setting standing for it) or the production stores profile, YANGLAO_PROFILE=production.

`python -m bot.settings profile|endpoints|action-url [FILE]` gives scripts/run.sh the same answers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Iterator, List, Mapping, Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, validator

if TYPE_CHECKING:  # Rasa is imported only when a file is read: `python -m bot.settings profile` stays quick
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig
    from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ENDPOINTS = ROOT / "endpoints.yml"
PRODUCTION_ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"
HANDOFF_FILE = ROOT / "handoff.yml"
SQLITE_STORE_DB = "var/trackers.db"  # bot.stores.tracker_store.SQLiteTrackerStore's default `db`

S = TypeVar("S", bound="Section")


class SettingsError(ValueError):
    """A setting that is wrong, or an endpoints file naming an unset variable: said at start, never guessed."""


def given(value: Any) -> Any:
    """The value, stripped; None when it is not given (None, or a blank string)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def env(variable: str, default: Any = None, **constraints: Any) -> Any:
    """A field read from `variable` when the file does not give it."""
    return Field(default, env=variable, **constraints)


class Section(BaseModel):
    """Settings given in a section of a file, each else by its environment variable: the rule above."""

    what: ClassVar[str] = "settings"  # for messages: "unknown web channel setting(s): …"

    class Config:
        extra = Extra.forbid
        allow_mutation = False

    @classmethod
    def variable(cls, name: str) -> Optional[str]:
        return cls.__fields__[name].field_info.extra.get("env")

    @classmethod
    def read(
        cls: Type[S], section: Optional[Mapping[str, Any]] = None, environ: Optional[Mapping[str, str]] = None
    ) -> S:
        section = dict(section or {})
        environ = os.environ if environ is None else environ
        unknown = sorted(set(section) - set(cls.__fields__))
        if unknown:
            raise SettingsError(
                f"unknown {cls.what} setting(s): {', '.join(map(str, unknown))} "
                f"(accepted: {', '.join(cls.__fields__)})"
            )
        values: Dict[str, Any] = {}
        for name in cls.__fields__:
            value, variable = given(section.get(name)), cls.variable(name)
            if value is None and variable:
                value = given(environ.get(variable))
            if value is not None:
                values[name] = value
        try:
            return cls(**values)
        except ValidationError as e:
            problems = []
            for error in e.errors():
                name = str(error["loc"][0])
                variable = cls.variable(name)
                if not variable:  # a value from the file is shown; one from the environment may be a secret
                    shown = f", not {values.get(name)!r}"
                else:
                    shown = "" if variable in error["msg"] else f" (${variable})"
                problems.append(f"{cls.what} setting {name}: {error['msg']}{shown}")
            raise SettingsError("; ".join(problems)) from None


class Deployment(Section):
    """Which deployment this process belongs to, from the environment; `production` is the one answer to
    "is this production?" (stricter console secrets, Secure cookies, no generated admin password)."""

    what: ClassVar[str] = "deployment"
    environment: str = env("YANGLAO_ENV", "development")
    profile: str = env("YANGLAO_PROFILE", "default")  # which stores: endpoints.yml, or PostgreSQL + Redis
    endpoints: Path = env("YANGLAO_ENDPOINTS")  # not given: the profile's file (below)
    handoff_settings: Path = env("YANGLAO_HANDOFF_SETTINGS", HANDOFF_FILE)

    @validator("environment", pre=True)
    def _environment(cls, value: Any) -> str:
        name = str(value).lower()
        name = {"prod": "production", "dev": "development"}.get(name, name)
        if name not in ("production", "development"):
            raise ValueError(f"YANGLAO_ENV must be production or development, not {value!r}")
        return name

    @validator("profile", pre=True)
    def _profile(cls, value: Any) -> str:
        if str(value).lower() not in ("default", "production"):
            raise ValueError(f"YANGLAO_PROFILE must be default or production, not {value!r}")
        return str(value).lower()

    @validator("endpoints", always=True)
    def _endpoints(cls, value: Optional[Path], values: Dict[str, Any]) -> Path:
        if value is not None:
            return value
        return PRODUCTION_ENDPOINTS if values.get("profile") == "production" else DEFAULT_ENDPOINTS

    @property
    def production(self) -> bool:
        return self.environment == "production" or self.profile == "production"


# ------------------------------------------------------------------------------------------------ endpoints file

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ENVIRON_SWAP = threading.Lock()


def _unexpandable(path: Path, environ: Mapping[str, str]) -> List[str]:
    """Each `${VAR}` that Rasa would leave as text: naming an unset variable, or in a quoted value (Rasa expands
    unquoted values only). The file's nodes are walked, so comments do not count."""
    problems: List[str] = []

    def walk(node: Optional[yaml.Node], where: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{where}.{key.value}" if where else str(key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{where}[{i}]")
        elif isinstance(node, yaml.ScalarNode):
            names = _VARIABLE.findall(node.value)
            if names and node.style:
                problems.append(f"{where}: {node.value!r} is quoted, and Rasa expands ${{VAR}} only unquoted")
            problems.extend(
                f"{where}: ${{{name}}} is not set" for name in names if not node.style and name not in environ
            )

    try:
        walk(yaml.compose(path.read_text(encoding="utf-8")), "")
    except yaml.YAMLError as e:
        problems.append(f"not YAML: {e}")
    return problems


@contextlib.contextmanager
def _environment(environ: Optional[Mapping[str, str]]) -> Iterator[None]:
    """Rasa expands ${VAR} from os.environ only: a caller's own mapping (a test, a check of another
    deployment's variables) stands in for it during the read."""
    if environ is None or environ is os.environ:
        yield
        return
    with _ENVIRON_SWAP:
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(environ)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def _checked(path: Optional[os.PathLike], environ: Optional[Mapping[str, str]]) -> Path:
    """The endpoints file to read (`path`, else the deployment's), once every ${VAR} in it can be expanded."""
    variables = os.environ if environ is None else environ
    path = Path(path) if path else Deployment.read(environ=variables).endpoints
    if not path.is_file():
        raise SettingsError(f"endpoints file {path} does not exist")
    problems = _unexpandable(path, variables)
    if problems:
        raise SettingsError(f"{path}: {'; '.join(problems)} (set each variable, blank if it has no value)")
    return path


def read_endpoint(
    kind: str, path: Optional[os.PathLike] = None, environ: Optional[Mapping[str, str]] = None
) -> Optional["EndpointConfig"]:
    """One section of the endpoints file (`tracker_store`, `action_endpoint`, …) as `rasa run` reads it, or None.
    Only Rasa's light reader is imported: the action servers use this too."""
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    path = _checked(path, environ)
    try:
        with _environment(environ):
            return read_endpoint_config(str(path), kind)
    except RasaException as e:
        raise SettingsError(f"{path}: {e}") from e


def read_endpoints(
    path: Optional[os.PathLike] = None, environ: Optional[Mapping[str, str]] = None
) -> "AvailableEndpoints":
    """The whole endpoints file as `rasa run` reads it (e.g. for an Agent of one's own)."""
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.exceptions import RasaException

    path = _checked(path, environ)
    try:
        with _environment(environ):
            return AvailableEndpoints.read_endpoints(str(path))
    except RasaException as e:
        raise SettingsError(f"{path}: {e}") from e


def action_url(endpoint: Optional["EndpointConfig"]) -> Optional[str]:
    """The action server an `action_endpoint` calls; None: none (the actions run inside the Rasa server)."""
    return given(endpoint.url) if endpoint is not None else None


def tracker_store_url(store: Optional["EndpointConfig"]) -> Optional["URL"]:
    """The tracker store's database as Rasa's SQL store builds it (`SQLTrackerStore.get_db_url`): this
    project's SQLiteTrackerStore (a file, var/trackers.db by default), or Rasa's `SQL` store and its
    PostgreSQLTrackerStore subclass. None: not an SQL store (memory, redis). Blank values are not given."""
    from rasa.core.tracker_store import SQLTrackerStore, validate_port
    from rasa.shared.exceptions import RasaException
    from sqlalchemy.engine import make_url

    if store is None:  # no tracker_store section: Rasa's in-memory store
        return None
    kind = str(store.type or "")
    options = {key: given(value) for key, value in store.kwargs.items()}
    if kind.endswith("SQLiteTrackerStore"):
        url = SQLTrackerStore.get_db_url("sqlite", db=options.get("db") or SQLITE_STORE_DB)
    elif kind.lower() == "sql" or kind.endswith("PostgreSQLTrackerStore"):
        query = {str(k): str(v) for k, v in (options.get("query") or {}).items() if given(v) is not None}
        try:
            port = validate_port(options.get("port"))
        except RasaException as e:
            raise SettingsError(f"tracker_store: {e}") from None
        url = SQLTrackerStore.get_db_url(
            options.get("dialect") or "sqlite",
            given(store.url),
            port,
            options.get("db") or "rasa.db",
            options.get("username"),
            options.get("password"),
            query=query,
        )
    else:
        return None
    return make_url(url)  # get_db_url gives a string when the host is a whole URL


# ------------------------------------------------------------------------------------------------ for scripts


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.settings", description="The deployment's settings as the servers read them."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("profile", help="default or production (YANGLAO_PROFILE)")
    commands.add_parser("endpoints", help="the endpoints file: YANGLAO_ENDPOINTS, else the profile's")
    url = commands.add_parser("action-url", help="the action server the endpoints file calls, or nothing")
    url.add_argument("file", nargs="?", help="default: the deployment's endpoints file")
    args = parser.parse_args(argv)
    try:
        deployment = Deployment.read()  # checked whatever is asked: a wrong YANGLAO_ENV stops run.sh too
        if args.command == "profile":
            print(deployment.profile)
        elif args.command == "endpoints":
            print(deployment.endpoints)
        else:
            print(action_url(read_endpoint("action_endpoint", args.file)) or "")
    except SettingsError as e:
        print(e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    # Rasa's imports warn about their own dependencies (and add filters of their own): not the script's concern
    warnings.showwarning = lambda *args, **kwargs: None
    sys.exit(main())
