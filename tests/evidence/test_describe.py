"""Content sniffing, source URLs and metadata captured at intake (EXIF with GPS restricted)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from sijill.evidence.media import extract_metadata, mp4_metadata, public_metadata
from sijill.evidence.sniff import sniff_mime
from sijill.evidence.urls import normalize_url, parse_source_url


def test_sniff_by_content_not_name(media: dict[str, Path]) -> None:
    assert sniff_mime(media["photo"].read_bytes()[:8192]) == "image/jpeg"
    assert sniff_mime(media["resized"].read_bytes()[:8192]) == "image/png"
    assert sniff_mime(media["gif"].read_bytes()[:8192]) == "image/gif"
    assert sniff_mime(media["text"].read_bytes()) == "text/plain"
    assert sniff_mime(media["blob"].read_bytes()) == "application/octet-stream"
    assert sniff_mime("شهادة خيالية\n".encode()) == "text/plain"
    assert sniff_mime(b'{"a": 1}') == "application/json"
    assert sniff_mime(b"") == "application/x-empty"


def test_url_normalized_and_platform_read() -> None:
    assert normalize_url("HTTPS://www.Example.org:443/a/b/?utm_source=x&z=1#frag") == (
        "https://example.org/a/b?z=1"
    )
    x = parse_source_url("https://mobile.twitter.com/FictionalAcct/status/1234567?s=20")
    assert (x.platform, x.account, x.post_id) == ("x", "FictionalAcct", "1234567")
    assert x.normalized == "https://twitter.com/FictionalAcct/status/1234567"
    tg = parse_source_url("https://t.me/fictional_channel/42")
    assert (tg.platform, tg.account, tg.post_id) == ("telegram", "fictional_channel", "42")
    yt = parse_source_url("https://www.youtube.com/watch?v=abcDEF12345&feature=share")
    assert (yt.platform, yt.post_id) == ("youtube", "abcDEF12345")


def _photo_with_gps(path: Path) -> None:
    image = Image.new("RGB", (64, 48), (120, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "FictionalCam"  # Make
    exif[0x0110] = "Model Z (synthetic)"  # Model
    exif[0x013B] = "Fictional Photographer"  # Artist (restricted)
    exif[0x8825] = {  # GPS IFD
        1: "N",
        2: (35.0, 30.0, 0.0),
        3: "E",
        4: (36.0, 15.0, 36.0),
    }
    image.save(path, exif=exif)


def test_exif_gps_captured_and_restricted(tmp_path: Path) -> None:
    path = tmp_path / "gps-synthetic.jpg"
    _photo_with_gps(path)
    meta = extract_metadata(path, "image/jpeg")
    assert meta["width"] == 64 and meta["exif"]["Make"] == "FictionalCam"
    gps = meta["restricted"]["gps"]
    assert abs(gps["latitude"] - 35.5) < 1e-9 and abs(gps["longitude"] - 36.26) < 1e-9
    assert meta["restricted"]["Artist"] == "Fictional Photographer"
    public = public_metadata(meta)
    assert "restricted" not in public and "Fictional Photographer" not in str(public)
    assert "35.5" not in str(public)


def test_mp4_header(tmp_path: Path) -> None:
    import struct

    mvhd_body = struct.pack(">B3xIIII", 0, 3_800_000_000, 3_800_000_000, 1000, 12_500) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 0, b"isom")
    path = tmp_path / "clip-synthetic.mp4"
    path.write_bytes(ftyp + moov)
    meta = mp4_metadata(path)
    assert meta["duration_seconds"] == 12.5
    assert meta["created"].startswith("2024-")
    assert extract_metadata(path, "video/mp4") == meta
