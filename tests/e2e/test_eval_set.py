"""The evaluation sets against the real servers. The project's own set must stay at 98% or more. The blind sets
(written from the documents by people who never saw data/nlu/ or tests/eval/, see README "Evaluation") are
guarded against regressions at floors a few points under what was measured when they were frozen: their targets
(95%) are reported by `make eval`, not faked here. Figures the knowledge base cannot give fail every set."""

import pytest

from tests.eval.score import SETS, load_cases, report, score

# a few points under what each measured on 2026-12-07 after issues 18–19's fifth round (J and K: the sixth; L, M
# and N: the seventh; O and P: the eighth; R and S: the ninth; T and U: the tenth), see docs/measurements.md
FLOORS = {
    "old": 0.98,
    "blind_a": 0.95,
    "blind_b": 0.86,
    "blind_c1": 0.95,
    "blind_c2": 0.83,
    "blind_d": 0.92,
    "blind_e": 0.87,
    "blind_f": 0.86,
    "blind_g": 0.90,
    "blind_h": 0.86,
    "blind_i": 0.93,
    "blind_j": 0.74,  # sixth round
    "blind_k": 0.78,
    "blind_l": 0.75,  # seventh round
    "blind_m": 0.85,
    "blind_n": 0.80,
    "blind_o": 0.80,  # eighth round
    "blind_p": 0.80,
    "blind_q": 0.68,
    "blind_r": 0.82,  # ninth round
    "blind_s": 0.76,
    "blind_t": 0.86,  # tenth round
    "blind_u": 0.93,
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_eval_set_pass_rate(servers, name):
    cases = load_cases(SETS[name])
    assert len(cases) >= 100  # N, a development set for the weakest kinds, has 100; the others 150 or more
    result = score(cases, servers.send)
    print(report(result, name))
    assert result["unknown_figures"] == 0, report(result, name)
    assert result["rate"] >= FLOORS[name], report(result, name)
