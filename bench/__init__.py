"""Benchmark and test support, not shipped in the wheel: deterministic synthetic libraries."""
