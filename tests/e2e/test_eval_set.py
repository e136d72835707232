"""The evaluation set against the real servers: at least 95% of the citizens' questions answered right."""
from tests.eval.score import load_cases, report, score


def test_eval_set_pass_rate(servers):
    cases = load_cases()
    assert len(cases) >= 150
    result = score(cases, servers.send)
    print(report(result))
    assert result["rate"] >= 0.95, report(result)
