"""Near-duplicates: PDQ perceptual hashes of images and of sampled animation and video frames.

Two items whose hashes differ in at most :data:`MATCH_DISTANCE` of 256 bits are shown to a
person as a candidate match; the decision is stored. Nothing is merged or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdqhash  # type: ignore[import-untyped]
from PIL import Image, ImageSequence, UnidentifiedImageError

from sijill.evidence.video import VideoNotDecodable, video_frames

MATCH_DISTANCE = 31
MAX_FRAMES = 8
MIN_VIDEO_QUALITY = 50  # PDQ's own threshold: below it a frame (black, a fade) is featureless
WORK_SIZE = 512  # PDQ downsamples to 64x64 anyway; a 512-pixel copy keeps it fast on big photos


@dataclass(frozen=True)
class FrameHash:
    frame: int
    pdq: str  # 64 hex digits, 256 bits
    quality: int


def _pdq(image: Image.Image) -> tuple[str, int]:
    rgb = image.convert("RGB")
    rgb.thumbnail((WORK_SIZE, WORK_SIZE))
    bits, quality = pdqhash.compute(np.asarray(rgb))
    value = int("".join("1" if b else "0" for b in bits), 2)
    return f"{value:064x}", int(quality)


def perceptual_hashes(path: Path, mime: str) -> tuple[list[FrameHash], str | None]:
    """PDQ hashes of an image (one), or of up to eight frames spread over an animation or a
    video; with the reason when a picture or video yields none (``None`` for other files)."""
    if mime.startswith("video/"):
        return _video_hashes(path)
    if not mime.startswith("image/"):
        return [], None
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if frames <= 1:
                image.draft("RGB", (WORK_SIZE, WORK_SIZE))
                return [FrameHash(0, *_pdq(image))], None
            step = max(1, frames // MAX_FRAMES)
            wanted = set(range(0, frames, step)[:MAX_FRAMES])
            return [
                FrameHash(i, *_pdq(frame))
                for i, frame in enumerate(ImageSequence.Iterator(image))
                if i in wanted
            ], None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        return [], f"image not readable: {exc.__class__.__name__}"


def _video_hashes(path: Path) -> tuple[list[FrameHash], str | None]:
    """Hashes of the sampled video frames, without featureless ones (two black frames would
    match any two videos); frames decoded before an error are kept."""
    hashes: list[FrameHash] = []
    reason = "every sampled frame is featureless"
    try:
        for sampled in video_frames(path, MAX_FRAMES, WORK_SIZE):
            hashed = FrameHash(sampled.frame, *_pdq(sampled.image))
            if hashed.quality >= MIN_VIDEO_QUALITY:
                hashes.append(hashed)
    except VideoNotDecodable as exc:
        reason = str(exc)
    return hashes, None if hashes else reason


def closest(new: list[str], known: dict[str, list[str]]) -> dict[str, int]:
    """For each known item, the smallest distance between any of its hashes and any new one,
    kept only when it is a match (at most :data:`MATCH_DISTANCE`)."""
    new_ints = [int(h, 16) for h in new]
    matches: dict[str, int] = {}
    for item_id, hashes in known.items():
        best = min(((a ^ int(b, 16)).bit_count() for a in new_ints for b in hashes), default=256)
        if best <= MATCH_DISTANCE:
            matches[item_id] = best
    return matches
