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

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sijill.errors import NotFound, SijillError
from sijill.jobs.models import Job
from sijill.store.base import utcnow

log = logging.getLogger("sijill.jobs")

#: ``report(progress, message)``: progress from 0 to 1, a short message.
Report = Callable[[float, str], None]
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


def _run(sessions: sessionmaker[Session], job_id: str, work: Work, params: dict[str, Any]) -> None:
    def report(progress: float, message: str) -> None:
        _update(sessions, job_id, progress=max(0.0, min(1.0, progress)), message=message)

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


def start_job(
    sessions: sessionmaker[Session],
    kind: str,
    params: dict[str, Any],
    owner: str,
    work: Work,
) -> str:
    """Store a queued job (committed), run ``work`` in a thread, and return the job's id."""
    job_id = str(uuid.uuid4())
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


def running_job(session: Session, owner: str) -> Job | None:
    """The job ``owner`` has queued or running, if any (one at a time per user)."""
    for job in session.scalars(
        select(Job).where(Job.owner == owner, Job.state.in_(("queued", "running")))
    ):
        if _alive(job.worker):
            return job
    return None


def job_view(job: Job) -> dict[str, Any]:
    """The job as the API gives it (FORMATS.md §5)."""
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "progress": job.progress,
        "message": job.error if job.state == "failed" else job.message,
        "result": job.result,
        "params": job.params,
        "created_at": job.created_at,
    }
