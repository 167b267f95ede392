"""Where the shared reference data lives (``../shared/data`` beside the checkout).

``$SIJILL_SHARED_DATA`` overrides it; a checkout elsewhere (say a fresh clone in /tmp) falls
back to the workplace's copy at /work/shared/data.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    for candidate in (
        os.environ.get("SIJILL_SHARED_DATA"),
        REPO.parent / "shared" / "data",
        "/work/shared/data",
    ):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return REPO.parent / "shared" / "data"


SHARED_DATA = shared_data()
