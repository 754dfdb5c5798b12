"""Evaluation sets (JSON lines) and the scorer behind `anpo eval`."""
