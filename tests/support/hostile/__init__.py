"""What the hostile-input tests and scripts/fuzz.py share: the corpus, the strategies and the oracles."""
