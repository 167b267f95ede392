"""Shared helpers of the estimation benchmarks: the machine, and the RESULTS.md section."""

from __future__ import annotations

from pathlib import Path

from machine import describe as machine
from machine import write_section

__all__ = ["DATA", "machine", "write_section"]

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mse"
