"""Shared helpers of the estimation benchmarks: the machine, and the RESULTS.md section."""

from __future__ import annotations

import os
from pathlib import Path

from machine import describe as machine
from machine import write_section

__all__ = ["DATA", "machine", "write_section"]

# $SIJILL_SHARED_DATA, else ../shared/data beside the checkout, else the workplace's copy
DATA = next(
    (
        Path(c) / "mse"
        for c in (
            os.environ.get("SIJILL_SHARED_DATA"),
            Path(__file__).resolve().parents[1].parent / "shared" / "data",
            "/work/shared/data",
        )
        if c and (Path(c) / "mse").is_dir()
    ),
    Path("/work/shared/data/mse"),
)
