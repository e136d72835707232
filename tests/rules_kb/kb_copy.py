"""A writable copy of the packaged knowledge base, for tests that break it on purpose."""

import shutil
from pathlib import Path

KB_DIR = Path(__file__).resolve().parents[2] / "rules_kb"


def copy_kb(dest: Path) -> Path:
    root = dest / "kb"
    root.mkdir()
    for name in ("documents.yml", "regions.yml"):
        shutil.copy(KB_DIR / name, root / name)
    for folder in ("cities", "facts"):
        shutil.copytree(KB_DIR / folder, root / folder)
    return root
