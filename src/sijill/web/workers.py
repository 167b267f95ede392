"""``sijill serve --workers N``: N uvicorn processes, each accepting on a socket of its own.

uvicorn's own multi-worker mode binds one listening socket in its parent, and every worker
accepts from it: the worker that wakes first takes every connection waiting. Clients that open
their connections together and keep them (a team's browsers, scripts, a load test) then land
unevenly: 50 connections opened together went 43/7, 38/12 or 11/39 between two workers, and
the person list's p99 was 109–134 ms with uneven splits against 78–98 ms with even ones
(``benchmarks/RESULTS.md``, web).

Here, on Linux, each worker binds its own socket to the same address with ``SO_REUSEPORT``
and the kernel hands each new connection to one of the sockets by a hash of its addresses
(the same 50 connections went 28/22, 21/29, at worst 18/32). The parent holds the address
bound (not listening) so that nothing else takes it, restarts a worker that dies, and stops
them all on SIGINT or SIGTERM. Elsewhere :func:`balanced` is false and ``sijill serve``
uses uvicorn's own mode.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

log = logging.getLogger("sijill.web")

#: The application every worker serves (built from ``$SIJILL_DATABASE_URL``).
APP = "sijill.web.app:app_from_environment"
BACKLOG = 2048
#: A worker that dies sooner than this after starting is not restarted (it would die again).
MIN_LIFETIME = 5.0


def balanced() -> bool:
    """Whether the kernel spreads connections over sockets bound with ``SO_REUSEPORT``."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT`` (not listening yet)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def run_worker(host: str, port: int, options: dict[str, Any]) -> None:
    """One worker: its own listening socket on ``host:port``, served by uvicorn."""
    import uvicorn

    sock = bound_socket(host, port)
    sock.listen(BACKLOG)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def serve_workers(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Run ``workers`` processes of :func:`run_worker` until SIGINT or SIGTERM (then 0), or
    until a worker exits within :data:`MIN_LIFETIME` of its start (then its exit code, or 1).

    ``options`` are uvicorn's (``uvicorn.Config``) and must be picklable; the workers read
    the database and settings from the environment, as :data:`APP` does.
    """
    context = multiprocessing.get_context("spawn")
    holder = bound_socket(host, port)  # fails here, at once, if the address is taken
    port = holder.getsockname()[1]  # the port the system chose, if asked for port 0
    stopping = False
    failed = 0

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(target=run_worker, args=(host, port, options))
        process.start()
        return process, time.monotonic()

    running = [start() for _ in range(workers)]
    try:
        while not stopping:
            wait([process.sentinel for process, _ in running], timeout=0.5)
            for index, (process, started) in enumerate(running):
                if process.is_alive() or stopping:
                    continue
                lived = time.monotonic() - started
                if lived < MIN_LIFETIME:
                    log.error("worker %s exited at start (code %s)", process.pid, process.exitcode)
                    failed = process.exitcode if process.exitcode and process.exitcode > 0 else 1
                    stopping = True
                    break
                log.error(
                    "worker %s exited (code %s): starting another", process.pid, process.exitcode
                )
                running[index] = start()
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for process, _ in running:
            process.join()
        holder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return failed
