"""Problem-details responses and error metrics for Flask apps.

Usage::

    from errkit.integrations.flask import install
    install(app)                      # or install(app, mapper=ProblemMapper(...))

:func:`install` registers one error handler for ``Exception``. Every exception a
view raises is answered with a problem document (a redacted 500 with a
correlation id for anything internal or uncoded), logged by
:func:`~errkit.runtime.problem.log_problem` and recorded in errkit's metrics.
Werkzeug's ``HTTPException`` (a 404 for an unknown URL, an ``abort(403)``) keeps
Flask's own handling.

An app in the middle of its migration can hand errkit only what is already
migrated: ``install(app, handle=(errkit.CodedError,))`` answers coded errors
with problems and leaves every other exception to the app's own handlers
(Flask picks the handler registered for the nearest class).

Needs the ``flask`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from errkit.integrations._common import record_error, require
from errkit.runtime.problem import Problem, ProblemMapper, log_problem

if TYPE_CHECKING:
    from flask import Flask, Response

__all__ = ["EXTENSION_KEY", "install", "problem_response"]

require("flask", "flask")

#: Key of errkit's settings in ``app.extensions``.
EXTENSION_KEY = "errkit"


def problem_response(problem: Problem) -> Response:
    """A Flask response carrying ``problem``."""
    from flask import Response

    return Response(
        problem.to_json(),
        status=problem.status,
        headers=problem.headers,
        content_type=problem.content_type,
    )


def _handle(exc: Exception) -> Any:
    from flask import current_app, request
    from werkzeug.exceptions import HTTPException

    if isinstance(exc, HTTPException):
        return exc  # Flask renders its own HTTP errors

    settings = current_app.extensions[EXTENSION_KEY]
    problem = settings["mapper"].problem(exc, instance=request.path)
    log_problem(problem)
    if settings["record_metrics"]:
        record_error(exc)
    return problem_response(problem)


def install(
    app: Flask,
    *,
    mapper: ProblemMapper | None = None,
    record_metrics: bool = True,
    handle: tuple[type[Exception], ...] = (Exception,),
) -> None:
    """Answer errors raised by ``app``'s views with problems, and count them.

    ``handle`` lists the exception classes errkit answers (default: all).
    """
    app.extensions[EXTENSION_KEY] = {
        "mapper": mapper or ProblemMapper(),
        "record_metrics": record_metrics,
    }
    for cls in handle:
        app.register_error_handler(cls, _handle)
