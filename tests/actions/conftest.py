"""The action writes case codes and review-queue entries to the tracker store's database: here a fresh SQLite
file per test session, named by an endpoints file as the servers are given theirs (YANGLAO_ENDPOINTS)."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def endpoints_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("action-store")
    path = folder / "endpoints.yml"
    path.write_text(
        f"tracker_store:\n  type: bot.stores.tracker_store.SQLiteTrackerStore\n  db: {folder / 'trackers.db'}\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YANGLAO_ENDPOINTS", str(path))
        yield path
