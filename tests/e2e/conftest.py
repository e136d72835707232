"""One real action server + Rasa server for the end-to-end tests (the model `make test` trained)."""
import pytest

from tests.support.servers import ROOT, Servers

MODEL = ROOT / "models" / "assistant.tar.gz"


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    with Servers(MODEL, log_dir=tmp_path_factory.mktemp("logs")) as s:
        yield s
