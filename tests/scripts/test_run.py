"""scripts/run.sh asks bot/settings.py what the servers would decide, and stops before starting anything when the
deployment's settings are wrong."""

import subprocess

from tests.support.servers import ROOT

BARE = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}


def run_sh(**env):
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh")], capture_output=True, text=True, env=dict(BARE, **env), timeout=60
    )


def test_an_unset_variable_in_the_endpoints_file_stops_run_sh_naming_it(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: ${NOT_SET_ANYWHERE}\n", encoding="utf-8")
    done = run_sh(ENDPOINTS=str(endpoints), MODEL=str(tmp_path / "no-model.tar.gz"))
    assert done.returncode == 2 and "${NOT_SET_ANYWHERE} is not set" in done.stderr
    assert str(endpoints) in done.stderr and "REST channel" not in done.stdout  # nothing was started


def test_a_misspelt_yanglao_env_stops_run_sh_before_the_servers():
    done = run_sh(YANGLAO_ENV="prodution")
    assert done.returncode == 2 and "YANGLAO_ENV must be production or development" in done.stderr
