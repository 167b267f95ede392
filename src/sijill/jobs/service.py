"""Start a job in a thread, report its progress, read it back.

A job is a row of ``jobs`` (:class:`~sijill.jobs.models.Job`): the page that started it polls
the row, so the job survives a reload of the page. The work runs in a daemon thread of the
process that started it, with a session of its own for each report; a job whose process
ended before it finished (a restart) is answered as failed, saying so, when it is next read.
A failed job keeps why: the message of a :class:`~sijill.errors.SijillError`, else the kind
of fault (the traceback goes to the server's log, never to the reader).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sijill.errors import NotFound, SijillError
from sijill.jobs.models import Job
from sijill.jobs.progress import Report
from sijill.store.base import utcnow
from sijill.store.engine import BUSY_TIMEOUT_MS

log = logging.getLogger("sijill.jobs")

#: The work of a job: its parameters and a report function in, its result (JSON) out.
Work = Callable[[dict[str, Any], Report], dict[str, Any]]

INTERRUPTED = "interrupted: the server stopped before the job finished; start it again"


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _update(sessions: sessionmaker[Session], job_id: str, **values: Any) -> None:
    with sessions.begin() as session:
        job = session.get(Job, job_id)
        if job is not None:
            for key, value in values.items():
                setattr(job, key, value)
            job.updated_at = utcnow()


#: The progress of the jobs this process runs, as last reported: the row may lag behind it
#: while the work holds SQLite's one write lock (a job's own report never waits for it).
_LIVE: dict[str, tuple[float, str]] = {}


def _report_progress(sessions: sessionmaker[Session], job_id: str, value: float, text: str) -> None:
    """Write a job's progress to its row without waiting for a write lock: on SQLite, while
    the work itself writes, the row keeps its last value and readers take the live one."""
    _LIVE[job_id] = (value, text)
    with sessions() as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        try:
            if sqlite:
                session.connection().exec_driver_sql("PRAGMA busy_timeout=0")
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(progress=value, message=text, updated_at=utcnow())
            )
            session.commit()
        except OperationalError:
            session.rollback()  # the work holds the write lock: the live value stands
        finally:
            if sqlite:
                session.connection().exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _run(sessions: sessionmaker[Session], job_id: str, work: Work, params: dict[str, Any]) -> None:
    def report(progress: float, message: str) -> None:
        _report_progress(sessions, job_id, max(0.0, min(1.0, progress)), message)

    try:
        _update(sessions, job_id, state="running")
        try:
            result = work(params, report)
        except SijillError as exc:
            _update(sessions, job_id, state="failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a job's fault is reported, not raised
            log.exception("job %s failed", job_id)
            error = f"internal error ({type(exc).__name__})"
            _update(sessions, job_id, state="failed", error=error)
        else:
            _update(sessions, job_id, state="done", progress=1.0, result=result, message=None)
    except Exception:  # noqa: BLE001 - the database went away (a shutdown): nothing to tell
        log.exception("job %s could not record its state", job_id)
    finally:
        _LIVE.pop(job_id, None)


def new_job_id() -> str:
    """A fresh job id (a UUID), for work that needs its id before it starts (its folder)."""
    return str(uuid.uuid4())


def start_job(
    sessions: sessionmaker[Session],
    kind: str,
    params: dict[str, Any],
    owner: str,
    work: Work,
    job_id: str | None = None,
) -> str:
    """Store a queued job (committed), run ``work`` in a thread, and return the job's id."""
    job_id = job_id or new_job_id()
    with sessions.begin() as session:
        session.add(
            Job(
                id=job_id,
                kind=kind,
                state="queued",
                progress=0.0,
                params=params,
                owner=owner,
                worker=_worker(),
            )
        )
    threading.Thread(
        target=_run, args=(sessions, job_id, work, params), name=f"job-{job_id}", daemon=True
    ).start()
    return job_id


def _alive(worker: str) -> bool:
    """Whether the process that runs a job still runs (only known on this host)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_job(session: Session, job_id: str, *, owner: str | None = None) -> Job:
    """The job (``owner``: only if they started it; None reads any), marked failed if the
    process running it is gone. Raises :class:`NotFound`."""
    job = session.get(Job, job_id)
    if job is None or (owner is not None and job.owner != owner):
        raise NotFound(f"no job {job_id}")
    if job.state in ("queued", "running") and not _alive(job.worker):
        job.state, job.error, job.updated_at = "failed", INTERRUPTED, utcnow()
    return job


def running_job(session: Session, owner: str | None = None, kind: str | None = None) -> Job | None:
    """A job queued or running, if any: ``owner``'s (one at a time per user), or of ``kind``
    by anyone (one link at a time in the case)."""
    query = select(Job).where(Job.state.in_(("queued", "running")))
    if owner is not None:
        query = query.where(Job.owner == owner)
    if kind is not None:
        query = query.where(Job.kind == kind)
    for job in session.scalars(query):
        if _alive(job.worker):
            return job
    return None


def list_jobs(session: Session, owner: str | None = None, limit: int = 50) -> list[Job]:
    """The newest jobs: ``owner``'s, or everyone's (None), each read as :func:`read_job` reads
    it (a job whose process is gone is failed)."""
    query = select(Job.id).order_by(Job.created_at.desc()).limit(limit)
    if owner is not None:
        query = query.where(Job.owner == owner)
    return [read_job(session, job_id) for job_id in session.scalars(query).all()]


def job_view(job: Job) -> dict[str, Any]:
    """The job as the API gives it (FORMATS.md §5), with its live progress if this process
    runs it."""
    progress, message = job.progress, job.message
    if job.state in ("queued", "running"):
        progress, message = _LIVE.get(job.id, (progress, message or ""))
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "progress": progress,
        "message": job.error if job.state == "failed" else message or None,
        "result": job.result,
        "params": job.params,
        "owner": job.owner,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }
