"""Metadata captured at intake: EXIF (with GPS) and image facts via Pillow, MP4/MOV headers.

GPS coordinates, serial numbers and owner names can identify where a witness stood or whose
phone it was: they are kept under ``restricted`` and :func:`public_metadata` leaves them out.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, UnidentifiedImageError

RESTRICTED_EXIF = {
    "GPSInfo",
    "BodySerialNumber",
    "CameraSerialNumber",
    "SerialNumber",
    "LensSerialNumber",
    "CameraOwnerName",
    "Artist",
    "XPAuthor",
    "ImageUniqueID",
    "HostComputer",
    "MakerNote",
    "UserComment",
}
MAX_TEXT = 500


def _plain(value: Any) -> Any:
    """An EXIF value in a JSON-safe form."""
    if isinstance(value, Fraction) or type(value).__name__ == "IFDRational":
        try:
            return float(value)
        except ZeroDivisionError:
            return None
    if isinstance(value, bytes):
        return value.hex() if len(value) <= 64 else f"<{len(value)} bytes>"
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return value.replace("\x00", "").strip()[:MAX_TEXT]
    if isinstance(value, int | float) or value is None:
        return value
    return str(value)[:MAX_TEXT]


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return -value if str(ref).upper() in ("S", "W") else value


def gps_from_exif(gps: dict[int, Any]) -> dict[str, Any]:
    """Decimal latitude and longitude (and altitude, time) from a GPS IFD."""
    named = {ExifTags.GPSTAGS.get(k, str(k)): v for k, v in gps.items()}
    out: dict[str, Any] = {}
    if "GPSLatitude" in named and "GPSLongitude" in named:
        out["latitude"] = _degrees(named["GPSLatitude"], named.get("GPSLatitudeRef", "N"))
        out["longitude"] = _degrees(named["GPSLongitude"], named.get("GPSLongitudeRef", "E"))
    if "GPSAltitude" in named:
        out["altitude"] = _plain(named["GPSAltitude"])
    for key in ("GPSDateStamp", "GPSTimeStamp", "GPSImgDirection"):
        if key in named:
            out[key] = _plain(named[key])
    return out


def image_metadata(path: Path) -> dict[str, Any]:
    """Format, size, frames and EXIF of an image; GPS and owner fields under ``restricted``."""
    try:
        with Image.open(path) as image:
            meta: dict[str, Any] = {
                "format": image.format,
                "width": image.width,
                "height": image.height,
                "mode": image.mode,
                "frames": getattr(image, "n_frames", 1),
            }
            exif = image.getexif()
            tags: dict[str, Any] = {}
            restricted: dict[str, Any] = {}
            merged = dict(exif)
            for ifd in (ExifTags.IFD.Exif, ExifTags.IFD.GPSInfo):
                try:
                    sub = exif.get_ifd(ifd)
                except (KeyError, ValueError, OSError):
                    sub = {}
                if ifd == ExifTags.IFD.GPSInfo:
                    if sub:
                        restricted["gps"] = gps_from_exif(sub)
                else:
                    merged.update(sub)
            for tag, value in merged.items():
                name = ExifTags.TAGS.get(tag, str(tag))
                if name in ("ExifOffset", "GPSInfo") and not isinstance(value, str | bytes):
                    continue
                (restricted if name in RESTRICTED_EXIF else tags)[name] = _plain(value)
            if tags:
                meta["exif"] = tags
            if restricted:
                meta["restricted"] = restricted
            return meta
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        return {"error": f"image not readable: {exc.__class__.__name__}"}


MP4_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)


def _boxes(handle: Any, end: int) -> Any:
    """Iterate (type, payload offset, payload size) over ISO-BMFF boxes up to ``end``."""
    while handle.tell() + 8 <= end:
        start = handle.tell()
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header = 16
        elif size == 0:
            size = end - start
        if size < header:
            return
        yield kind.decode("latin-1"), start + header, size - header
        handle.seek(start + size)


def mp4_metadata(path: Path) -> dict[str, Any]:
    """Duration and creation time from an MP4/MOV ``moov/mvhd`` box (no decoder needed)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        for kind, offset, length in _boxes(handle, size):
            if kind != "moov":
                continue
            for sub, sub_offset, _sub_len in _boxes(handle, offset + length):
                if sub != "mvhd":
                    continue
                handle.seek(sub_offset)
                version = handle.read(1)[0]
                handle.read(3)
                if version == 1:
                    created, _mod, scale, duration = struct.unpack(">QQIQ", handle.read(28))
                else:
                    created, _mod, scale, duration = struct.unpack(">IIII", handle.read(16))
                meta: dict[str, Any] = {"container": "iso-bmff"}
                if scale:
                    meta["duration_seconds"] = round(duration / scale, 3)
                if created:
                    meta["created"] = (MP4_EPOCH + timedelta(seconds=created)).isoformat()
                return meta
    return {"container": "iso-bmff"}


def extract_metadata(path: Path, mime: str) -> dict[str, Any]:
    """The metadata worth keeping for a file of this MIME type (empty when none applies)."""
    if mime.startswith("image/"):
        return image_metadata(path)
    if mime in ("video/mp4", "video/quicktime", "video/x-m4v", "audio/mp4", "video/3gpp"):
        try:
            return mp4_metadata(path)
        except (OSError, struct.error, IndexError) as exc:
            return {"error": f"media header not readable: {exc.__class__.__name__}"}
    return {}


def public_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """The metadata with every restricted field (GPS, serials, owner names) left out."""
    return {k: v for k, v in meta.items() if k != "restricted"}
