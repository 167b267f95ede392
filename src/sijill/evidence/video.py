"""Sampled frames of a video (MP4, WebM, MOV, ...), decoded with PyAV for perceptual hashing.

Only the sampled frames are decoded: for each of up to ``count`` instants spread over the
duration the container seeks to the keyframe before it and decodes forward to the instant, so
memory does not grow with the file. PyAV is optional: without it videos get no perceptual hash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image


class VideoNotDecodable(Exception):
    """The video could not be opened or decoded; the message says why."""


@dataclass(frozen=True)
class SampledFrame:
    frame: int  # the frame's number in the stream (time x average frame rate)
    image: Image.Image


def sample_times(duration: float | None, count: int) -> list[float]:
    """``count`` instants (seconds) spread over ``duration``: the midpoints of equal parts."""
    if not duration or duration <= 0:
        return [0.0]
    return [duration * (i + 0.5) / count for i in range(count)]


def video_frames(path: Path, count: int, box: int) -> Iterator[SampledFrame]:
    """Up to ``count`` frames spread over the video, as RGB images at most ``box`` pixels wide
    or high. Raises :class:`VideoNotDecodable` when the file cannot be opened or decoded."""
    try:
        import av
    except ImportError as exc:
        raise VideoNotDecodable("no video decoder (PyAV is not installed)") from exc
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.video:
                raise VideoNotDecodable("no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            if stream.duration is not None and stream.time_base is not None:
                duration: float | None = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / av.time_base
            else:
                duration = None
            rate = float(stream.average_rate or 0)
            seen: set[int] = set()
            for when in sample_times(duration, count):
                if stream.time_base is not None:
                    container.seek(int(when / stream.time_base), stream=stream)
                found = None
                for frame in container.decode(stream):
                    found = frame
                    if frame.time is None or frame.time >= when:
                        break
                if found is None:
                    continue
                number = round((found.time or 0.0) * rate) if rate else len(seen)
                if number in seen:
                    continue
                seen.add(number)
                width, height = found.width, found.height
                scale = min(1.0, box / max(width, height, 1))
                image = found.to_image(
                    width=max(1, round(width * scale)), height=max(1, round(height * scale))
                )
                yield SampledFrame(number, image)
    except VideoNotDecodable:
        raise
    except (av.FFmpegError, OSError, ValueError, MemoryError) as exc:
        raise VideoNotDecodable(f"video not decodable: {exc.__class__.__name__}") from exc
