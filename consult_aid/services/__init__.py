"""Use cases: each owns its transaction and records who made every change."""
