"""gRPC status codes for coded errors, and the coded error back on the client.

Server side, :class:`ProblemInterceptor` (a ``grpc.ServerInterceptor``) catches
what a method raises and aborts the call with the status code of the error's
category (table below, overridable), the problem's ``detail`` as the status
details, and trailing metadata:

- ``errkit-code``: the code string, e.g. ``inventory:120`` (coded errors only);
- ``errkit-correlation-id``: for redacted errors, the id also on the log record;
- ``errkit-problem-bin``: the same JSON problem document an HTTP client would get.

Redaction is the HTTP one: an internal or uncoded error's message, cause and
context stay in the log. Client side, :func:`restore_error` (or the
:func:`coded_errors` context manager) turns a ``grpc.RpcError`` carrying that
metadata back into the matching coded error.

==============  =====================================================
category        status code
==============  =====================================================
validation      INVALID_ARGUMENT
not_found       NOT_FOUND
conflict        ALREADY_EXISTS for the ``AlreadyExists`` sentinel, else ABORTED
unauthorized    PERMISSION_DENIED for ``Forbidden``, else UNAUTHENTICATED
state           FAILED_PRECONDITION
external        UNAVAILABLE
internal        INTERNAL
timeout         DEADLINE_EXCEEDED
rate_limit      RESOURCE_EXHAUSTED
(uncoded)       INTERNAL
==============  =====================================================

:class:`ProblemInterceptor` is for ``grpc.server``, :class:`AsyncProblemInterceptor`
for ``grpc.aio.server``.
Needs the ``grpc`` extra.
"""

from __future__ import annotations

import contextlib
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, cast

from errkit.integrations._common import record_error, require
from errkit.runtime._fields import error_fields
from errkit.runtime._safe import already_exists, forbidden
from errkit.runtime.problem import ProblemMapper, log_problem
from errkit.runtime.problem_client import error_from_problem

grpc = require("grpc", "grpc")
require("grpc.aio", "grpc")

__all__ = [
    "CODE_KEY",
    "CORRELATION_KEY",
    "PROBLEM_KEY",
    "STATUS_BY_CATEGORY",
    "AsyncProblemInterceptor",
    "ProblemInterceptor",
    "coded_errors",
    "restore_error",
    "status_for",
]

CODE_KEY = "errkit-code"
CORRELATION_KEY = "errkit-correlation-id"
PROBLEM_KEY = "errkit-problem-bin"

#: Default gRPC status code name per category; see the module docstring.
STATUS_BY_CATEGORY: Mapping[str, str] = {
    "validation": "INVALID_ARGUMENT",
    "not_found": "NOT_FOUND",
    "conflict": "ABORTED",
    "unauthorized": "UNAUTHENTICATED",
    "state": "FAILED_PRECONDITION",
    "external": "UNAVAILABLE",
    "internal": "INTERNAL",
    "timeout": "DEADLINE_EXCEEDED",
    "rate_limit": "RESOURCE_EXHAUSTED",
}


def status_for(exc: BaseException, overrides: Mapping[str, str] | None = None) -> Any:
    """The ``grpc.StatusCode`` for ``exc``; ``overrides`` maps categories to names."""
    fields = error_fields(exc)
    if fields is None:
        return grpc.StatusCode.INTERNAL
    if overrides and fields.category in overrides:
        return grpc.StatusCode[overrides[fields.category]]
    if fields.category == "conflict" and already_exists(exc):
        return grpc.StatusCode.ALREADY_EXISTS
    if fields.category == "unauthorized" and forbidden(exc):
        return grpc.StatusCode.PERMISSION_DENIED
    return grpc.StatusCode[STATUS_BY_CATEGORY.get(fields.category, "INTERNAL")]


class _Translator:
    """What both interceptors do with a failure: log, count, status, trailers."""

    def __init__(
        self,
        mapper: ProblemMapper | None,
        status_by_category: Mapping[str, str] | None,
        record_metrics: bool,
    ) -> None:
        for category, name in (status_by_category or {}).items():
            if name not in grpc.StatusCode.__members__:
                msg = (
                    f"status_by_category[{category!r}] must name a grpc.StatusCode, "
                    f"got {name!r}"
                )
                raise ValueError(msg)
        self.mapper = mapper or ProblemMapper()
        self.overrides = dict(status_by_category or {})
        self.record = record_metrics

    def translate(
        self, exc: Exception, method: str
    ) -> tuple[Any, str, tuple[tuple[str, str | bytes], ...]]:
        """Log and count ``exc``; its status code, details and trailing metadata."""
        problem = self.mapper.problem(exc, instance=method)
        log_problem(problem, extra={"grpc_method": method})
        if self.record:
            record_error(exc)
        metadata: list[tuple[str, str | bytes]] = [(PROBLEM_KEY, problem.to_json())]
        fields = error_fields(exc)
        if fields is not None and fields.code is not None:
            metadata.append((CODE_KEY, fields.code))
        if problem.correlation_id is not None:
            metadata.append((CORRELATION_KEY, problem.correlation_id))
        status = status_for(exc, self.overrides)
        return status, str(problem.body["detail"]), tuple(metadata)


def _own_status(context: Any) -> bool:
    """True if the method already set a failing status (``abort``, ``set_code``)."""
    code = context.code()
    return code is not None and code != grpc.StatusCode.OK


def _rewrap(
    handler: Any, wrap: Callable[..., Any], wrap_stream: Callable[..., Any]
) -> Any:
    """``handler`` with its one behaviour replaced by a wrapped one."""
    if handler.unary_unary:
        return handler._replace(unary_unary=wrap(handler.unary_unary))
    if handler.unary_stream:
        return handler._replace(unary_stream=wrap_stream(handler.unary_stream))
    if handler.stream_unary:
        return handler._replace(stream_unary=wrap(handler.stream_unary))
    return handler._replace(stream_stream=wrap_stream(handler.stream_stream))


class ProblemInterceptor(grpc.ServerInterceptor):  # type: ignore[misc,name-defined]
    """Server interceptor turning exceptions raised by methods into coded statuses.

    For ``grpc.server``. A method that sets its own status (``context.abort``,
    ``context.set_code``) keeps it. Every converted exception is logged through
    :func:`~errkit.runtime.problem.log_problem` and recorded in errkit's metrics.

    Raises:
        ValueError: ``status_by_category`` names something that is not a
            ``grpc.StatusCode``.
    """

    def __init__(
        self,
        *,
        mapper: ProblemMapper | None = None,
        status_by_category: Mapping[str, str] | None = None,
        record_metrics: bool = True,
    ) -> None:
        self._translator = _Translator(mapper, status_by_category, record_metrics)

    def intercept_service(
        self, continuation: Callable[[Any], Any], details: Any
    ) -> Any:
        handler = continuation(details)
        if handler is None:
            return None
        method = details.method
        return _rewrap(
            handler,
            lambda fn: self._wrap(fn, method),
            lambda fn: self._wrap_stream(fn, method),
        )

    def _wrap(self, behaviour: Callable[..., Any], method: str) -> Callable[..., Any]:
        def call(request: Any, context: Any) -> Any:
            try:
                return behaviour(request, context)
            except Exception as exc:  # noqa: BLE001 - every failure gets a status
                self._abort(exc, context, method)

        return call

    def _wrap_stream(
        self, behaviour: Callable[..., Any], method: str
    ) -> Callable[..., Any]:
        def call(request: Any, context: Any) -> Iterator[Any]:
            try:
                yield from behaviour(request, context)
            except Exception as exc:  # noqa: BLE001 - every failure gets a status
                self._abort(exc, context, method)

        return call

    def _abort(self, exc: Exception, context: Any, method: str) -> None:
        if _own_status(context):
            raise exc
        status, details, metadata = self._translator.translate(exc, method)
        context.set_trailing_metadata(metadata)
        context.abort(status, details)  # raises: ends the call with this status


_AioInterceptor: Any = grpc.aio.ServerInterceptor


class AsyncProblemInterceptor(_AioInterceptor):  # type: ignore[misc]
    """:class:`ProblemInterceptor` for ``grpc.aio.server``: same statuses, trailers.

    Coroutine and async-generator methods are wrapped; a plain (sync) method
    run by the aio server's thread pool is left as it is.
    """

    def __init__(
        self,
        *,
        mapper: ProblemMapper | None = None,
        status_by_category: Mapping[str, str] | None = None,
        record_metrics: bool = True,
    ) -> None:
        self._translator = _Translator(mapper, status_by_category, record_metrics)

    async def intercept_service(
        self, continuation: Callable[[Any], Awaitable[Any]], details: Any
    ) -> Any:
        handler = await continuation(details)
        if handler is None:
            return None
        method = details.method
        return _rewrap(
            handler,
            lambda fn: self._wrap(fn, method),
            lambda fn: self._wrap_stream(fn, method),
        )

    def _wrap(self, behaviour: Callable[..., Any], method: str) -> Callable[..., Any]:
        if not inspect.iscoroutinefunction(behaviour):
            return behaviour

        async def call(request: Any, context: Any) -> Any:
            try:
                return await behaviour(request, context)
            except grpc.aio.AbortError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure gets a status
                await self._abort(exc, context, method)

        return call

    def _wrap_stream(
        self, behaviour: Callable[..., Any], method: str
    ) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(behaviour):
            return self._wrap(behaviour, method)  # writes with context.write()
        if not inspect.isasyncgenfunction(behaviour):
            return behaviour

        async def call(request: Any, context: Any) -> AsyncIterator[Any]:
            try:
                async for response in behaviour(request, context):
                    yield response
            except grpc.aio.AbortError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure gets a status
                await self._abort(exc, context, method)

        return call

    async def _abort(self, exc: Exception, context: Any, method: str) -> None:
        if _own_status(context):
            raise exc
        status, details, metadata = self._translator.translate(exc, method)
        await context.abort(status, details, metadata)  # raises AbortError


def restore_error(error: Any) -> BaseException:
    """The coded error a ``grpc.RpcError`` stands for, or ``error`` itself.

    Reads the ``errkit-problem-bin`` trailing metadata the interceptor attached;
    a call that failed without it (a network failure, another server) is
    returned unchanged.
    """
    trailing = error.trailing_metadata() if hasattr(error, "trailing_metadata") else ()
    for key, value in trailing or ():
        if key == PROBLEM_KEY:
            try:
                document = json.loads(value)
            except ValueError:
                return cast(BaseException, error)  # not ours after all
            restored = error_from_problem(document)
            restored.__cause__ = error
            return restored
    return cast(BaseException, error)


@contextlib.contextmanager
def coded_errors() -> Iterator[None]:
    """Re-raise a ``grpc.RpcError`` from the block as the coded error it carries."""
    try:
        yield
    except grpc.RpcError as exc:
        restored = restore_error(exc)
        if restored is exc:
            raise
        raise restored from exc
