"""Entry points, run from the project's root as modules (`python -m scripts.bench`): shared code lives in the
packages, the test harness in tests/support."""
