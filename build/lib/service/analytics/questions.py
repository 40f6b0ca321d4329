"""Every analytics question logged alike: which question, for which organization, the rows it
read and the seconds it took (never names or free text from records)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from service.access import Viewer
from service.logs import get_logger, phase
from service.store import Store

log = get_logger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
Question = Callable[Concatenate[Store, Viewer, P], Awaitable[T]]


def logged_question(answer: Question[P, T]) -> Question[P, T]:
    """`answer(store, viewer, ...)` between "analytics started" and "analytics finished"."""

    @functools.wraps(answer)
    async def logged(store: Store, viewer: Viewer, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with phase(log, "analytics", question=answer.__name__, org=viewer.org):
            return await answer(store, viewer, *args, **kwargs)

    return logged
