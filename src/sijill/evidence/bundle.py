"""Court bundles: a BagIt bag (RFC 8493) a court or partner can check offline.

Layout of ``OUT``::

    bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    verify_bundle.py                     standard-library-only checker (run it with python3)
    README.txt
    data/items/<item id>/<file>          the original, byte for byte
    data/items/<item id>/metadata.json   what Sijill recorded (restricted fields only if asked)
    data/log/entries.jsonl               every custody entry of these items (exact bytes, base64)
    data/log/proofs.json                 an inclusion proof for each entry up to the checkpoint
    data/log/checkpoint.txt              the signed checkpoint (C2SP signed note)
    data/log/public-key.txt              the log's public key (signed-note verifier key)

The export itself is logged (an ``exported`` entry per item, and ``transferred`` with the
recipient's commitment when one is named) before the checkpoint is signed,
so the bundle carries the record of its own making.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import bagit  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill import __version__
from sijill.errors import SijillError
from sijill.evidence import custody, merkle
from sijill.evidence import verify_bundle as verifier
from sijill.evidence.items import get_item, item_view
from sijill.evidence.models import Checkpoint, CustodyEntry
from sijill.evidence.signing import load_signing_key, public_bytes, verifier_key
from sijill.evidence.vault import copy_original, safe_name
from sijill.jobs.progress import Report, silent
from sijill.security.roles import OPERATOR

#: Whose reading a bundle without restricted content follows: the least role, so it names no
#: restricted item, nor anything an item is linked to that such a reader may not know of.
PUBLIC_READER = "viewer"

README = """Sijill evidence bundle {bundle_id}

Check it offline with any Python 3.9 or later, nothing else installed:

    python3 verify_bundle.py .

The check covers the BagIt manifests, the Ed25519 signature of data/log/checkpoint.txt, the
inclusion of every custody entry in that checkpoint, and each file's SHA-256. Compare the key in
data/log/public-key.txt with the one the sender gave you through another channel.
"""


def _file_name(name: str | None, fallback: str) -> str:
    base = safe_name(name, fallback)
    return base if base != "metadata.json" else fallback


def build_bundle(
    session: Session,
    vault: Path,
    item_ids: list[str],
    out: Path,
    *,
    actor: str,
    include_restricted: bool = False,
    recipient: str | None = None,
    progress: Report = silent,
) -> tuple[Path, Checkpoint]:
    """Write the bundle for ``item_ids`` to ``out`` (which must be absent or empty). With a
    ``recipient``, each item's hand-over is logged too (``transferred``, recipient committed).
    ``progress(fraction, message)`` hears each item copied and the bag's hashing."""
    if out.exists() and any(out.iterdir()):
        raise SijillError(f"{out}: folder exists and is not empty")
    items = [get_item(session, i) for i in item_ids]
    if not items:
        raise SijillError("name at least one item")
    bundle_id = str(uuid.uuid4())
    for item in items:
        custody.append(
            session,
            event="exported",
            item_id=item.id,
            sha256=item.sha256,
            actor=actor,
            detail={"bundle": bundle_id, "restricted_included": include_restricted},
        )
        if recipient:
            custody.append(
                session,
                event="transferred",
                item_id=item.id,
                sha256=item.sha256,
                actor=actor,
                detail={"bundle": bundle_id},
                private={"recipient": recipient},
            )
    checkpoint = custody.make_checkpoint(session)
    assert checkpoint is not None
    leaves = custody.leaf_hashes(session, checkpoint.tree_size)
    out.mkdir(parents=True, exist_ok=True)
    ids = [item.id for item in items]
    rows = list(
        session.scalars(
            select(CustodyEntry)
            .where(CustodyEntry.item_id.in_(ids), CustodyEntry.seq < checkpoint.tree_size)
            .order_by(CustodyEntry.seq)
        )
    )
    for done, item in enumerate(items):
        progress(0.1 + 0.6 * done / len(items), f"copying item {done + 1} of {len(items)}")
        folder = out / "items" / item.id
        folder.mkdir(parents=True)
        copy_original(vault, item.sha256, folder / _file_name(item.original_name, item.sha256))
        view = item_view(
            session,
            item,
            restricted=include_restricted,
            reader=OPERATOR if include_restricted else PUBLIC_READER,
        )
        (folder / "metadata.json").write_text(
            json.dumps(view, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
    log = out / "log"
    log.mkdir()
    with (log / "entries.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({"index": row.seq, "entry_b64": custody.entry_b64(row)}) + "\n")
    proofs = {
        str(row.seq): [h.hex() for h in merkle.inclusion_proof(row.seq, leaves)] for row in rows
    }
    (log / "proofs.json").write_text(json.dumps(proofs, indent=1), encoding="utf-8")
    (log / "checkpoint.txt").write_text(checkpoint.note, encoding="utf-8")
    public = public_bytes(load_signing_key(create=False))
    (log / "public-key.txt").write_text(verifier_key(public) + "\n", encoding="utf-8")
    progress(0.75, "hashing the bag")
    bag = bagit.make_bag(
        str(out),
        bag_info={
            "Source-Organization": "Sijill evidence vault",
            "External-Identifier": bundle_id,
            "External-Description": f"{len(items)} item(s), custody log checkpoint size "
            f"{checkpoint.tree_size}",
            "Bag-Software-Agent": f"sijill {__version__}",
        },
        checksums=["sha256"],
    )
    shutil.copyfile(verifier.__file__, out / "verify_bundle.py")
    (out / "README.txt").write_text(README.format(bundle_id=bundle_id), encoding="utf-8")
    bag.save()
    return out, checkpoint
