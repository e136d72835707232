"""Tracker and lock stores: subclasses of Rasa's, loaded by dotted path from endpoints files."""
