"""Hypothesis profiles for the hostile-input tests, chosen with HYPOTHESIS_PROFILE:

    ci    (default) a few hundred examples per property: the whole of tests/hostile in well under a minute
    fast  `make test-fast`: tests/conftest.py's (25 examples per property, HYPOTHESIS_FAST_EXAMPLES) with the
          settings below
    fuzz  thousands per property, for a long run: HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/hostile

Hypothesis' own deadline is off: the checks time each call themselves (tests/support/hostile/oracles.py, 50 ms per
input, HOSTILE_DEADLINE_MS to change it), timing the target alone rather than the data generation."""

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.register_profile("ci", max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "200")), **_COMMON)
settings.register_profile("fast", settings.get_profile("fast"), **_COMMON)
settings.register_profile("fuzz", max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "5000")), **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
