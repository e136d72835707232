"""Handoff to a person (hotline, consent, case codes) and the review queue of turns the assistant got wrong.

settings.py   handoff.yml + where the database is (the tracker store's, from the endpoints file)
codes.py      case codes: generation, normalisation, hashing
db.py         the tables (SQLAlchemy Core) and the engine for a URL
cases.py      CaseStore: codes -> masked case snapshots, expiry, wrong-code limits
review.py     ReviewQueue: entries, counts, resolve, retention; export.py: entries -> Rasa NLU YAML
transcript.py what a case holds, read from a conversation's events (masked)
"""
