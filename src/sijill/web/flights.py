"""One piece of asynchronous work per key at a time on each event loop, shared by every
request that asks for it while it runs (a "single flight").

When many requests need the same slow answer at the same moment (a token to look up, a total
to count), the first starts the work and the others await the same task. A task is forgotten
when it ends, so the next request after it starts afresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Work under way, by key and event loop (a task belongs to the loop that runs it).
_UNDER_WAY: dict[tuple[Hashable, asyncio.AbstractEventLoop], asyncio.Task[Any]] = {}


Work = Callable[[], Coroutine[Any, Any, T]]


def start_once(key: Hashable, work: Work[T]) -> asyncio.Task[T]:
    """The task doing the work for ``key`` on this loop: the one under way, else a new one
    running ``work()``. The caller may await it or, if it has an answer already, leave it."""
    loop = asyncio.get_running_loop()
    task = _UNDER_WAY.get((key, loop))
    if task is None:
        task = loop.create_task(work())
        _UNDER_WAY[(key, loop)] = task
        task.add_done_callback(lambda _: _UNDER_WAY.pop((key, loop), None))
    return task


async def once(key: Hashable, work: Work[T]) -> T:
    """``work()``'s answer, shared with every request that asks for ``key`` meanwhile.

    Shielded: one waiting request cancelled (a client gone) does not cancel the others'.
    """
    return await asyncio.shield(start_once(key, work))
