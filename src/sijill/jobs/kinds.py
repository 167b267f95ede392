"""The work of each kind of job, as the command line does it, reporting through the one
progress protocol (:mod:`sijill.jobs.progress`).

- ``link``: ``sijill link`` (records into people);
- ``match-places``: ``sijill places match`` (every record's place of death to the gazetteer);
- ``report``: ``sijill report`` into the job's folder (``index.html``, ``report.pdf``);
- ``bundle``: ``sijill evidence bundle``, zipped in the job's folder (``bundle.zip``);
- ``estimate``: :func:`sijill.estimate.linkage.estimate_job`.

Each work function takes what it needs (sessions, the folder, who runs it) first and the job's
``params`` and ``report`` last, so the web binds the first with :func:`functools.partial`. A
result naming ``files`` lists what the job wrote in its folder, to download.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from sijill.config import jobs_dir, vault_dir
from sijill.errors import SijillError
from sijill.jobs.progress import Report, part

#: Who may start each kind (FORMATS.md §5: analysts and above; linking: investigators).
MIN_ROLE = {
    "estimate": "analyst",
    "link": "investigator",
    "match-places": "analyst",
    "report": "analyst",
    "bundle": "analyst",
}


def job_folder(job_id: str) -> Path:
    """Where a job writes its files: ``<jobs dir>/<id>``."""
    return jobs_dir() / job_id


def link_work(
    sessions: sessionmaker[Session], actor: str, params: dict[str, Any], report: Report
) -> dict[str, Any]:
    """``sijill link``; the result is its JSON less the rules' plan."""
    from sijill.linkage.service import link  # splink loads only here

    with sessions.begin() as session:
        result = link(session, actor=actor, progress=report)
    return {k: v for k, v in result.as_dict().items() if k != "rules"}


def match_places_work(
    sessions: sessionmaker[Session], params: dict[str, Any], report: Report
) -> dict[str, Any]:
    """``sijill places match``; the result counts records resolved and the strings not."""
    from sijill.places.store import resolve_record_places

    with sessions.begin() as session:
        summary = resolve_record_places(session, progress=report).as_dict()
    summary["unresolved"] = summary["unresolved"][:50]
    return summary


def report_work(
    sessions: sessionmaker[Session], folder: Path, params: dict[str, Any], report: Report
) -> dict[str, Any]:
    """``sijill report`` into ``folder``: the page and, if asked, the PDF."""
    from sijill.report.build import write_report  # WeasyPrint loads only here
    from sijill.report.figures import ReportOptions

    options = ReportOptions(
        public=bool(params.get("public")),
        lang=params.get("lang") or "en",
        estimate=bool(params.get("estimate")),
    )
    options.check()
    with sessions() as session:
        written = write_report(
            session, folder, options, pdf=bool(params.get("pdf")), progress=report
        )
    files = [Path(written["html"]).name] + ([Path(written["pdf"]).name] if written["pdf"] else [])
    return {
        "files": files,
        "digest": written["digest"],
        "as_of": written["as_of"],
        "public": options.public,
        "lang": options.lang,
    }


def bundle_work(
    sessions: sessionmaker[Session],
    folder: Path,
    actor: str,
    params: dict[str, Any],
    report: Report,
) -> dict[str, Any]:
    """``sijill evidence bundle`` of ``params["items"]`` (with their full metadata), zipped."""
    from sijill.evidence import custody
    from sijill.evidence.bundle import build_bundle

    vault = vault_dir()
    bag = folder / "bundle"
    try:
        with sessions.begin() as session:
            _, checkpoint = build_bundle(
                session,
                vault,
                list(params["items"]),
                bag,
                actor=actor,
                include_restricted=True,
                progress=part(report, 0.0, 0.9),
            )
    except FileNotFoundError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise SijillError(
            f"an original is missing from the vault: {Path(exc.args[0]).name}"
        ) from exc
    custody.publish_checkpoint(vault, checkpoint)
    report(0.92, "zipping the bundle")
    shutil.make_archive(str(bag), "zip", root_dir=bag)
    shutil.rmtree(bag)
    return {
        "files": ["bundle.zip"],
        "items": len(params["items"]),
        "tree_size": checkpoint.tree_size,
    }
