"""The deployment files agree with each other (kubectl is not available here, so nothing in deploy/k8s is
applied by the tests): every variable deploy/endpoints.production.yml reads is provided by the Kubernetes
ConfigMap or Secret and checked by deploy/production.env.sh; the manifests reference what exists."""

import re
import subprocess

import yaml

from tests.support.servers import ROOT

DEPLOY = ROOT / "deploy"


def manifests():
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return docs


def by_kind(kind):
    return {d["metadata"]["name"]: d for d in manifests() if d.get("kind") == kind}


def endpoint_variables():
    text = (DEPLOY / "endpoints.production.yml").read_text(encoding="utf-8")
    return set(re.findall(r"\$\{(\w+)\}", "\n".join(line.split("#")[0] for line in text.splitlines())))


def test_every_endpoint_variable_is_given_by_the_configmap_or_the_secret():
    config = by_kind("ConfigMap")["yanglao-config"]["data"]
    secret = by_kind("Secret")["yanglao-secrets"]["stringData"]
    assert endpoint_variables() <= set(config) | set(secret)
    assert not set(config) & set(secret)
    for key in ("DB_PASSWORD", "REDIS_PASSWORD", "WECHAT_APP_SECRET", "RASA_API_TOKEN"):
        assert key in secret and key not in config and secret[key].startswith(("CHANGE-ME", "redis://:CHANGE-ME"))


def test_the_profile_script_checks_or_defaults_every_endpoint_variable():
    script = (DEPLOY / "production.env.sh").read_text(encoding="utf-8")
    for name in endpoint_variables():
        assert re.search(rf"\b{name}\b", script), name


def test_deployments_reference_the_configmap_secret_services_and_profile():
    deployments, services = by_kind("Deployment"), by_kind("Service")
    assert set(deployments) == {"yanglao-rasa", "yanglao-actions"} and set(services) == set(deployments)
    container = deployments["yanglao-rasa"]["spec"]["template"]["spec"]["containers"][0]
    assert {next(iter(e.values()))["name"] for e in container["envFrom"]} == {"yanglao-config", "yanglao-secrets"}
    for name, d in deployments.items():
        assert d["spec"]["selector"]["matchLabels"] == services[name]["spec"]["selector"]
        assert d["spec"]["replicas"] >= 2
    rasa = deployments["yanglao-rasa"]["spec"]["template"]["spec"]["containers"][0]["command"]
    assert "deploy/endpoints.production.yml" in rasa and "--auth-token" in rasa
    config = by_kind("ConfigMap")["yanglao-config"]["data"]
    assert config["ACTION_URL"].startswith("http://yanglao-actions:5055/")
    ingress = by_kind("Ingress")["yanglao"]
    paths = [p["path"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]]
    assert "/webhooks/" in paths and not any(p in ("/", "/conversations", "/model") for p in paths)


def test_kustomization_lists_every_manifest_but_the_secret_example():
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = set(kustomization["resources"])
    present = {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present - {"secret.example.yaml"}


def test_scripts_are_valid_bash():
    for script in (
        "scripts/run-cluster.sh",
        "scripts/install-services.sh",
        "scripts/run.sh",
        "deploy/production.env.sh",
    ):
        subprocess.run(["bash", "-n", str(ROOT / script)], check=True)


def test_production_profile_names_missing_variables():
    env = {"PATH": "/usr/bin:/bin", "YANGLAO_PROFILE": "production", "HOME": "/tmp"}
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh")], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2 and "DB_HOST" in done.stderr and "REDIS_HOST" in done.stderr
    bad = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh")],
        capture_output=True,
        text=True,
        env=dict(env, YANGLAO_PROFILE="staging"),
        timeout=60,
    )
    assert bad.returncode == 2 and "default or production" in bad.stderr


def test_production_profile_refuses_an_action_url_and_in_process_actions_at_once():
    env = {
        "PATH": "/usr/bin:/bin",
        "YANGLAO_PROFILE": "production",
        "HOME": "/tmp",
        "DB_HOST": "db",
        "DB_NAME": "y",
        "DB_USER": "u",
        "DB_PASSWORD": "p",
        "REDIS_HOST": "r",
        "ACTIONS_MODULE": "actions",
        "ACTION_URL": "http://127.0.0.1:5055/webhook",
    }
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh")], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2 and "not both" in done.stderr


# ------------------------------------------------------------------------------------------------ the image
# No container runtime here (the docker client only): deploy/Dockerfile is read, not built.


def dockerfile():
    """(INSTRUCTION, arguments) in order: comments dropped, continued lines joined."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in joined.splitlines() if line.strip()
    ]


def instructions(kind):
    return [args for k, args in dockerfile() if k == kind]


def test_the_image_is_ubuntu_22_04_pinned_by_tag():
    assert instructions("FROM") == ["ubuntu:22.04"]  # one stage; not :latest or :jammy, which move


def test_python_3_10_comes_from_ubuntu_packages_into_a_venv_on_the_path():
    runs = instructions("RUN")
    installs = [re.search(r"apt-get install (.*?)(&&|$)", r).group(1).split() for r in runs if "apt-get install" in r]
    assert len(installs) == 1 and {"python3.10", "python3.10-venv"} <= set(installs[0])
    assert "--no-install-recommends" in installs[0]
    assert not re.search(r"deadsnakes|add-apt-repository|pyenv|python\.org|curl|wget", " ".join(runs))
    venv = [re.search(r"python3\.10 -m venv (\S+)", r) for r in runs]
    venv_dir = next(m.group(1) for m in venv if m)
    path = next(re.search(r"\bPATH=(\S+)", e).group(1) for e in instructions("ENV") if re.search(r"\bPATH=", e))
    assert path.split(":")[0] == f"{venv_dir}/bin"  # `python` (deploy/k8s) is the venv's


def test_only_the_runtime_requirements_are_installed():
    copies = instructions("COPY")
    assert copies[0] == "requirements.txt requirements.lock ./"
    assert not any("requirements-dev" in c for c in copies)
    pips = [cmd.strip() for r in instructions("RUN") for cmd in r.split("&&") if "pip install" in cmd]
    make_pip = re.search(r"pip install --quiet --upgrade (pip==\S+)", (ROOT / "Makefile").read_text()).group(1)
    assert pips == [
        f"pip install --no-cache-dir --upgrade {make_pip}",
        "pip install --no-cache-dir -r requirements.txt -c requirements.lock",
    ]


def test_the_image_copies_only_what_the_servers_run_and_runs_as_a_user():
    copied = {src for c in instructions("COPY") for src in c.split()[:-1]}
    assert copied == {
        "requirements.txt",
        "requirements.lock",
        "actions/",
        "bot/",
        "rules_kb/",
        "deploy/",
        "models/assistant.tar.gz",
        "config.yml",
        "domain.yml",
        "credentials.yml",
        "endpoints.yml",
        "handoff.yml",
    }
    steps = dockerfile()
    assert instructions("USER") == ["10001"]  # not root, and everything after it runs as that user
    user = [k for k, _ in steps].index("USER")
    assert all(k not in ("RUN", "COPY") for k, _ in steps[user:])
