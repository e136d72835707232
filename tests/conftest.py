"""The whole test run answers as on one pinned day (rules_kb.dates.today reads YANGLAO_TODAY; the servers and CLI
the tests start inherit it), so a source lapsing on the calendar does not change what the tests expect."""
import os

os.environ.setdefault("YANGLAO_TODAY", "2026-11-27")
