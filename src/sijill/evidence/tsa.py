"""Optional RFC 3161 time-stamps of checkpoints by a time-stamping authority the user names.

The signed checkpoint note is sent (as its SHA-512 imprint) to the TSA over HTTP; the reply's
token is stored beside the checkpoint. :func:`check` verifies a stored token against the note
and the TSA's root certificate (PEM), so a court can see the log existed at that time.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

from cryptography import x509
from rfc3161_client import (
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from sijill.errors import SijillError
from sijill.evidence.models import Checkpoint

TIMEOUT = 30


def stamp(checkpoint: Checkpoint, url: str) -> bytes:
    """Ask the TSA at ``url`` to time-stamp the checkpoint; store and return the reply."""
    request = TimestampRequestBuilder().data(checkpoint.note.encode("utf-8")).build()
    http = urllib.request.Request(
        url, data=request.as_bytes(), headers={"Content-Type": "application/timestamp-query"}
    )
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT) as reply:  # noqa: S310 - user's TSA
            body = reply.read()
    except OSError as exc:
        raise SijillError(f"time-stamping authority {url} did not answer: {exc}") from exc
    try:
        response = decode_timestamp_response(body)
    except ValueError as exc:
        raise SijillError(f"{url}: not an RFC 3161 reply ({exc})") from exc
    if response.status not in (0, 1):
        raise SijillError(f"{url}: time-stamp refused (status {response.status})")
    checkpoint.tsa_url = url
    checkpoint.tsa_token = body
    return body


def check(checkpoint: Checkpoint, root_certificate: Path) -> bool:
    """True when the stored reply time-stamps this checkpoint's note under the given root."""
    if checkpoint.tsa_token is None:
        return False
    root = x509.load_pem_x509_certificate(root_certificate.read_bytes())
    verifier = VerifierBuilder().add_root_certificate(root).build()
    try:
        response = decode_timestamp_response(checkpoint.tsa_token)
        return bool(verifier.verify_message(response, checkpoint.note.encode("utf-8")))
    except (VerificationError, ValueError):
        return False
