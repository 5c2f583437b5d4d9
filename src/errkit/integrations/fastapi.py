"""Problem-details responses and error metrics for FastAPI and Starlette apps.

Usage::

    from errkit.integrations.fastapi import install
    install(app, mapper=ProblemMapper(type_base="https://docs.example/errors/"))

:func:`install` registers :func:`problem_handler` for coded errors and adds
:class:`ProblemMiddleware`. Starlette runs exception handlers inside user middleware,
so a coded error is answered by the handler; any other exception escapes the
handlers and is answered by the middleware with a redacted 500, instead of
reaching Starlette's plain-text error page. Either way the middleware records the
exception once in errkit's metrics, and :func:`~errkit.runtime.problem.log_problem`
logs it with the body's correlation id. Starlette's own ``HTTPException`` and
FastAPI's request validation keep their usual handlers.

Needs the ``fastapi`` extra (Starlette alone is enough).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from errkit.core import CodedError
from errkit.integrations._common import record_error, require
from errkit.runtime.problem import Problem, ProblemMapper, log_problem

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ProblemMiddleware", "install", "problem_handler", "problem_response"]

require("starlette", "fastapi")

#: Scope key where the handler leaves the exception it answered, for the middleware.
_HANDLED = "errkit.handled_exception"
_DEFAULT_MAPPER = ProblemMapper()


def problem_response(problem: Problem) -> Response:
    """A Starlette response carrying ``problem``."""
    from starlette.responses import Response

    return Response(
        problem.to_json(),
        status_code=problem.status,
        headers=problem.headers,
        media_type=problem.content_type,
    )


def _mapper(scope: Scope) -> ProblemMapper:
    app = scope.get("app")
    state = getattr(app, "state", None)
    mapper = getattr(state, "errkit_mapper", None)
    return mapper if isinstance(mapper, ProblemMapper) else _DEFAULT_MAPPER


async def problem_handler(request: Request, exc: Exception) -> Response:
    """Starlette exception handler answering ``exc`` with a problem document.

    Uses the mapper :func:`install` stored on ``app.state``, else the defaults.
    """
    problem = _mapper(request.scope).problem(exc, instance=request.url.path)
    log_problem(problem)
    request.scope[_HANDLED] = exc
    return problem_response(problem)


class ProblemMiddleware:
    """ASGI middleware: records every failed request's exception; answers escapes.

    An exception a handler answered is recorded after the response; one that
    escapes the app is recorded, logged and answered with a problem (a redacted
    500 for anything uncoded). If the response had already started there is no
    way to answer, so the exception is re-raised for the server to log.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        mapper: ProblemMapper | None = None,
        record_metrics: bool = True,
    ) -> None:
        self.app = app
        self.mapper = mapper
        self.record_metrics = record_metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception as exc:
            if self.record_metrics:
                record_error(exc)
            if started:
                raise
            mapper = self.mapper or _mapper(scope)
            problem = mapper.problem(exc, instance=scope.get("path"))
            log_problem(problem)
            await problem_response(problem)(scope, receive, send)
            return

        handled = scope.pop(_HANDLED, None)
        if handled is not None and self.record_metrics:
            record_error(handled)


def install(
    app: Any, *, mapper: ProblemMapper | None = None, record_metrics: bool = True
) -> None:
    """Answer errors of a FastAPI/Starlette ``app`` with problems and count them.

    Call before the app starts serving (Starlette builds its middleware stack on
    the first request).
    """
    app.state.errkit_mapper = mapper or ProblemMapper()
    app.add_exception_handler(CodedError, problem_handler)
    app.add_middleware(
        ProblemMiddleware, mapper=app.state.errkit_mapper, record_metrics=record_metrics
    )
