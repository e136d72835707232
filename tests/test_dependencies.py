"""The runtime and development package sets are apart: requirements.txt + requirements.lock are what the servers run
(the image, deploy/Dockerfile, installs only these; pyproject.toml's dependencies are requirements.txt), and
requirements-dev.txt + requirements-dev.lock add the test and lint tools. Checked against the installed packages'
own metadata: what the runtime set pulls in is pinned in requirements.lock and never in the dev lock, and nothing
the servers import (bot/, actions/, rules_kb/) comes from a package only the dev set provides."""

from __future__ import annotations

import ast
import functools
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Dict, Iterator, List, Set

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SERVED = ("bot", "actions", "rules_kb")  # the packages the image copies and the servers import
# Installed with any venv, and pinned by the Makefile and the Dockerfile, not the lock files. (setuptools and wheel,
# which pip freeze leaves out too, are locked: Rasa requires them at run time.)
INSTALLER = {"pip"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: str) -> Dict[str, str]:
    """name -> version of every `name==version` line of a requirements or lock file."""
    found = {}
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            found[canonical(name)] = version.strip()
    return found


def includes(path: str) -> List[str]:
    return [
        line.split(None, 1)[1]
        for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
        if line.startswith(("-r ", "-c "))
    ]


def closure(roots: Set[str]) -> Set[str]:
    """The distributions `roots` need here, following each installed package's requirements (extras not taken)."""
    env = dict(default_environment(), extra="")
    seen: Set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # reported by the test that needs it
        for text in requires:
            req = Requirement(text)
            if not req.marker or req.marker.evaluate(env):
                stack.append(canonical(req.name))
    return seen


RUNTIME, RUNTIME_LOCK = pins("requirements.txt"), pins("requirements.lock")
DEV, DEV_LOCK = pins("requirements-dev.txt"), pins("requirements-dev.lock")


def test_the_dev_files_add_to_the_runtime_files_without_overlap():
    assert includes("requirements.txt") == [] and includes("requirements-dev.txt") == ["requirements.txt"]
    assert not set(DEV) & set(RUNTIME) and not set(DEV_LOCK) & set(RUNTIME_LOCK)
    for direct, lock in ((RUNTIME, RUNTIME_LOCK), (DEV, DEV_LOCK)):
        assert {n: lock.get(n) for n in direct} == direct  # every direct pin is locked at the same version


def test_the_test_and_lint_tools_are_development_only():
    assert {"pytest", "playwright", "hypothesis", "ruff", "mypy", "yamllint"} <= set(DEV)


@pytest.mark.slow  # walks the installed packages' metadata, requirement by requirement: about a second
def test_the_runtime_set_pulls_in_only_what_requirements_lock_pins():
    needed = closure(set(RUNTIME))
    assert not needed & set(DEV_LOCK), "needed at run time but pinned only for development"
    assert needed - set(RUNTIME_LOCK) - INSTALLER == set()


@pytest.mark.slow  # as above, for both sets
def test_the_dev_lock_holds_exactly_what_only_the_dev_tools_pull_in():
    assert closure(set(DEV)) - closure(set(RUNTIME)) - INSTALLER == set(DEV_LOCK)
    missing = [n for n in {**RUNTIME_LOCK, **DEV_LOCK} if not _installed(n)]
    assert not missing, f"not installed here (make venv): {missing}"


def _installed(name: str) -> bool:
    try:
        metadata.distribution(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def test_pyproject_dependencies_are_the_runtime_file_only():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    files = re.findall(r"^dependencies = \{ file = \[([^\]]*)\] \}", text, re.M)
    assert files == ['"requirements.txt"']


@functools.lru_cache(maxsize=None)
def providers() -> Dict[str, Set[str]]:
    """top-level module -> the distributions installing it. Python 3.10's packages_distributions reads only
    top_level.txt, which wheels built by Poetry (rasa, rasa-sdk) lack: their files are read as well. Read once
    for the three served packages (half a second each time)."""
    found: Dict[str, Set[str]] = {}
    for dist in metadata.distributions():
        names = set((dist.read_text("top_level.txt") or "").split())
        for file in dist.files or []:
            first = file.parts[0]
            if first != ".." and not first.endswith((".dist-info", ".data")) and first != "__pycache__":
                names.add(first[:-3] if first.endswith(".py") else first)
        for name in names:
            found.setdefault(name, set()).add(canonical(dist.metadata["Name"]))
    return found


def imported_modules(package: str) -> Iterator[tuple]:
    """(file, top-level module) of every absolute import anywhere in the package, in functions too."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT), alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path.relative_to(ROOT), node.module.split(".")[0]


@pytest.mark.parametrize("package", SERVED)
def test_the_served_packages_import_only_the_runtime_set(package):
    provided = providers()
    runtime = set(RUNTIME_LOCK)
    wrong = []
    for path, module in imported_modules(package):
        if module in sys.stdlib_module_names or module in SERVED or module == "__future__":
            continue
        dists = provided.get(module, set())
        if not dists & runtime:
            wrong.append(f"{path}: {module} ({', '.join(sorted(dists)) or 'no installed package'})")
    assert not wrong, "imports from outside requirements.lock:\n" + "\n".join(wrong)
