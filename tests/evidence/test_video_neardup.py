"""Videos at intake: sampled frames are decoded and PDQ-hashed, so a re-encoded, resized copy
is a near-duplicate candidate and an unrelated video is not; a broken video does not stop
intake. The test videos are synthetic: moving coloured shapes made here with PyAV."""

from __future__ import annotations

import logging
from pathlib import Path

import av
import pytest
from PIL import Image, ImageDraw

from sijill.evidence.neardup import MAX_FRAMES, MIN_VIDEO_QUALITY, perceptual_hashes
from tests.evidence.conftest import AddItems, textured_image

FPS = 12


def _scene(seed: int, index: int) -> Image.Image:
    """Frame ``index`` of a fictional scene: shapes moving over a textured backdrop."""
    image = textured_image(seed, (160, 120))
    draw = ImageDraw.Draw(image)
    x = 10 + index * 4
    draw.ellipse((x, 30, x + 40, 70), fill=(230, 40, 40))
    draw.rectangle((120 - index * 3, 60, 150 - index * 3, 110), fill=(40, 60, 230))
    return image


def _write(
    path: Path, frames: list[Image.Image], codec: str, size: tuple[int, int], rate: int
) -> None:
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=FPS)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = rate
        for image in frames:
            frame = av.VideoFrame.from_image(image.convert("RGB").resize(size))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


@pytest.fixture
def videos(tmp_path: Path) -> dict[str, Path]:
    """A 2 s clip (MP4), a smaller re-encoding of it at a lower bit rate (MOV), an unrelated
    clip (MP4) and a truncated file that claims to be MP4."""
    folder = tmp_path / "videos"
    folder.mkdir()
    paths = {
        "clip": folder / "clip-synthetic.mp4",
        "copy": folder / "clip-synthetic-reencoded.mov",
        "other": folder / "other-synthetic.mp4",
        "broken": folder / "broken-synthetic.mp4",
    }
    _write(paths["clip"], [_scene(5, i) for i in range(2 * FPS)], "mpeg4", (160, 120), 800_000)
    with av.open(str(paths["clip"])) as source:
        decoded = [frame.to_image() for frame in source.decode(video=0)]
    _write(paths["copy"], decoded, "mpeg4", (96, 72), 120_000)
    _write(paths["other"], [_scene(6, i) for i in range(2 * FPS)], "mpeg4", (160, 120), 800_000)
    paths["broken"].write_bytes(paths["clip"].read_bytes()[:600])
    return paths


def test_sampled_frames_are_hashed(videos: dict[str, Path]) -> None:
    hashes, reason = perceptual_hashes(videos["clip"], "video/mp4")
    assert reason is None
    assert len({h.frame for h in hashes}) == len(hashes) == MAX_FRAMES
    assert all(h.quality >= MIN_VIDEO_QUALITY for h in hashes)


def test_featureless_frames_are_not_hashed(tmp_path: Path) -> None:
    """Black frames hash alike in every video: they would make any two videos candidates."""
    black = tmp_path / "black-synthetic.mp4"
    _write(black, [Image.new("RGB", (160, 120))] * FPS, "mpeg4", (160, 120), 200_000)
    assert perceptual_hashes(black, "video/mp4") == ([], "every sampled frame is featureless")


def test_reencoded_copy_is_a_candidate_and_unrelated_video_is_not(
    add_items: AddItems, videos: dict[str, Path]
) -> None:
    (clip,) = add_items(videos["clip"])
    other, copy = add_items(videos["other"], videos["copy"])
    assert clip["mime"] == "video/mp4" and copy["mime"] == "video/quicktime"
    assert other["near_duplicates"] == []
    assert [d["id"] for d in copy["near_duplicates"]] == [clip["id"]]


def test_undecodable_video_is_kept_without_a_hash(
    sqlite_add_items: AddItems,
    videos: dict[str, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="sijill.evidence.intake"):
        (broken,) = sqlite_add_items(videos["broken"])
    assert broken["near_duplicates"] == []
    assert "no perceptual hash: video not decodable" in caplog.text
