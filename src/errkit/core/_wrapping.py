"""Wrapping errors and looking things up in their chains.

Vocabulary (after Go's cockroachdb/errors): ``has`` searches the whole chain,
``find`` returns the first match, ``*_of`` extracts a value. Every function
accepts ``None`` and then returns ``None`` / ``False``; every walk is cycle-safe
and stops at barriers (see ``_chain``).

A match is one of: an exception class or a tuple of them (sentinel classes also
match their builtin ``equivalents``), a ``"module:code"`` string, an int code, a
``Category``, or a predicate ``callable(exc) -> bool``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from . import _sentinels
from ._categories import Category, Severity, as_category, category_for_builtin
from ._chain import chain
from ._errors import CodedError
from ._kinds import coded

__all__ = [
    "Match",
    "barrier",
    "category_of",
    "code_of",
    "context_of",
    "find",
    "format_line",
    "has",
    "is_retryable",
    "root_cause",
    "severity_of",
    "with_context",
    "wrap",
]

E = TypeVar("E", bound=BaseException)

Match = (
    type[BaseException]
    | tuple[type[BaseException], ...]
    | str
    | int
    | Category
    | Callable[[BaseException], bool]
)

#: Where ``with_context`` keeps details on exceptions that are not coded.
_CONTEXT_ATTR = "__errkit_context__"


def _is_exc_type(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseException)


def _types_matcher(
    types: tuple[type[BaseException], ...],
) -> Callable[[BaseException], bool]:
    """isinstance against ``types`` and the equivalents of any sentinel among them."""
    classes = list(types)
    names: set[str] = set()
    for cls in types:
        if issubclass(cls, _sentinels.Sentinel):
            for eq in cls.equivalents:
                if isinstance(eq, str):
                    names.add(eq)
                else:
                    classes.append(eq)
    exact = tuple(classes)
    if not names:
        return lambda e: isinstance(e, exact)

    def match(e: BaseException) -> bool:
        if isinstance(e, exact):
            return True
        return any(f"{c.__module__}.{c.__qualname__}" in names for c in type(e).__mro__)

    return match


#: What ``match`` may be, for the messages that reject anything else.
_ACCEPTED = (
    "match must be an exception type, a tuple of them, a 'module:code' string,"
    " an int code, a Category or a predicate"
)


def _matcher(match: Match) -> Callable[[BaseException], bool]:
    """Turn any accepted ``match`` into a predicate.

    Raises:
        TypeError: ``match`` is none of the accepted forms (a float, ``None``,
            a bool, a class that is not an exception, a tuple holding
            anything but exception types).
        ValueError: ``match`` has an accepted type but cannot name a code or a
            type: a string not shaped ``module:code``, a negative int, an
            empty tuple. Such a match could only ever match nothing.
    """
    if isinstance(match, Category):
        return lambda e: isinstance(e, CodedError) and e.category is match
    if isinstance(match, str):
        module, colon, number = match.rpartition(":")
        if not (colon and module.strip() and number.isascii() and number.isdigit()):
            msg = f"{_ACCEPTED}; a string must be like 'inventory:120', got {match!r}"
            raise ValueError(msg)
        return lambda e: isinstance(e, CodedError) and e.code_str == match
    if isinstance(match, int) and not isinstance(match, bool):
        if match < 0:
            msg = f"{_ACCEPTED}; an int code must be 0 or more, got {match!r}"
            raise ValueError(msg)
        return lambda e: isinstance(e, CodedError) and e.code == match
    if _is_exc_type(match):
        return _types_matcher((match,))  # type: ignore[arg-type]
    if isinstance(match, tuple) and all(_is_exc_type(m) for m in match):
        if not match:
            msg = f"{_ACCEPTED}; a tuple must hold at least one type, got ()"
            raise ValueError(msg)
        return _types_matcher(match)
    # A class is callable too, but calling str or dict on an exception is no
    # test of it: only functions and callable objects are predicates.
    if callable(match) and not isinstance(match, type):
        return match
    msg = f"{_ACCEPTED}, got {match!r}"
    raise TypeError(msg)


def find(exc: BaseException | None, match: Match) -> BaseException | None:
    """The first exception in ``exc``'s chain (``exc`` included) matching ``match``.

    Raises:
        TypeError: ``match`` is none of the accepted forms.
        ValueError: ``match`` is a string not shaped ``module:code``, a
            negative int or an empty tuple.
    """
    pred = _matcher(match)
    for e in chain(exc):
        if pred(e):
            return e
    return None


def has(exc: BaseException | None, match: Match) -> bool:
    """True if anything in ``exc``'s chain matches ``match``.

    Raises:
        TypeError, ValueError: ``match`` is not accepted, as for :func:`find`.
    """
    return find(exc, match) is not None


def _first_coded(exc: BaseException | None) -> CodedError | None:
    for e in chain(exc):
        if isinstance(e, CodedError):
            return e
    return None


def code_of(exc: BaseException | None) -> str | None:
    """``"module:code"`` of the first error in the chain that has a code."""
    for e in chain(exc):
        if isinstance(e, CodedError) and e.code is not None:
            return e.code_str
    return None


def category_of(exc: BaseException | None) -> Category | None:
    """The category of the first coded error in the chain.

    For a chain without one, the category ``exc``'s builtin type stands for
    (``KeyError``: not_found; anything unknown: internal).
    """
    if exc is None:
        return None
    first = _first_coded(exc)
    return first.category if first is not None else category_for_builtin(type(exc))


def severity_of(exc: BaseException | None) -> Severity | None:
    """The severity of the first coded error in the chain, else ``error``."""
    if exc is None:
        return None
    first = _first_coded(exc)
    return first.severity if first is not None else Severity.ERROR


def is_retryable(exc: BaseException | None) -> bool:
    """Whether repeating the call may succeed.

    The first coded error in the chain decides. Without one, a builtin
    ``TimeoutError`` or ``ConnectionError`` anywhere in the chain says yes.
    """
    errors = chain(exc)
    for e in errors:
        if isinstance(e, CodedError):
            return e.retryable
    return any(isinstance(e, (TimeoutError, ConnectionError)) for e in errors)


def root_cause(exc: BaseException | None) -> BaseException | None:
    """The innermost error along ``__cause__``/``__context__`` (not into groups).

    Follows what tracebacks show: the cause, else the unsuppressed context.
    Stops at a cycle (returning the last new error) and at a barrier.
    """
    if exc is None:
        return None
    seen = {id(exc)}
    current = exc
    while not (isinstance(current, CodedError) and current._barrier):
        below = current.__cause__
        if below is None and not current.__suppress_context__:
            below = current.__context__
        if below is None or id(below) in seen:
            break
        seen.add(id(below))
        current = below
    return current


def context_of(exc: BaseException | None) -> dict[str, Any]:
    """All context in the chain merged; outer errors win on a shared key."""
    merged: dict[str, Any] = {}
    for e in reversed(chain(exc)):
        if isinstance(e, CodedError):
            merged.update(e._context or {})
        merged.update(getattr(e, _CONTEXT_ATTR, None) or {})
    return merged


def with_context(exc: E | None, **context: Any) -> E | None:
    """Add ``context`` (operation, resource, ids...) to ``exc`` and return it.

    On a coded error it goes into ``context``; on any other exception into an
    attribute that ``context_of`` reads. ``None`` gives back ``None``.
    """
    if exc is None:
        return None
    if isinstance(exc, CodedError):
        exc.context.update(context)
    else:
        stored = exc.__dict__.setdefault(_CONTEXT_ATTR, {})
        stored.update(context)
    return exc


def _wrapper_types(cls: type[BaseException]) -> list[type[CodedError]]:
    """Coded twins of ``cls``'s builtin ancestors, most derived first.

    Groups are skipped (a wrapper holds one cause, not members); BaseException-
    only types (KeyboardInterrupt...) end at plain ``CodedError``.
    """
    return [
        coded(base)
        for base in cls.__mro__
        if base.__module__ == "builtins"
        and issubclass(base, Exception)
        and not issubclass(base, BaseExceptionGroup)
    ] or [CodedError]


def wrap(
    exc: BaseException | None,
    message: str,
    *,
    module: str | None = None,
    code: int | None = None,
    category: Category | str | None = None,
    **context: Any,
) -> CodedError | None:
    """A new coded error saying ``message``, with ``exc`` as its ``__cause__``.

    The wrapper is the coded twin of ``exc``'s nearest builtin type (wrapping a
    ``KeyError`` gives a ``CodedKeyError``), so an ``except`` clause for that
    builtin still catches the raised wrapper. Its ``str()`` follows that builtin
    too: a ``KeyError`` wrapper prints its message quoted, as ``KeyError`` does.
    It takes the category, severity and retryable flag of the first coded error
    in ``exc``'s chain unless ``category`` is given, and carries ``context``.
    ``code_of`` still finds the inner code through the chain. ``None`` gives
    back ``None``::

        except KeyError as e:
            raise errkit.wrap(e, "loading order", order_id=7) from e
    """
    if exc is None:
        return None
    for cls in _wrapper_types(type(exc)):
        try:
            wrapper = cls(message, module=module, code=code, context=context)
            break
        except TypeError:
            # Builtins such as UnicodeDecodeError need more than a message;
            # fall back to their next builtin ancestor (UnicodeError).
            continue
    else:  # pragma: no cover - Exception always accepts a message
        wrapper = CodedError(message, module=module, code=code, context=context)
    inner = _first_coded(exc)
    if category is not None:
        wrapper.category = as_category(category)
    elif inner is not None:
        wrapper.category = inner.category
        wrapper.severity = inner.severity
        wrapper.retryable = inner.retryable
    else:
        wrapper.category = category_for_builtin(type(exc))
    wrapper.__cause__ = exc
    return wrapper


def barrier(error: E) -> E:
    """Mark the coded ``error`` as a barrier and return it.

    Lookups (``find``, ``has``, ``code_of``...) then stop at ``error``: the codes
    and sentinels of its causes do not leak through it, while logs still see the
    whole chain (``walk(exc, barriers=False)``). Typical at a boundary::

        except PaymentGatewayError as e:
            raise errkit.barrier(errkit.InternalError("charge failed")) from e

    Raises:
        TypeError: ``error`` is not a ``CodedError`` (a barrier must say what
            the boundary's own failure is).
    """
    if not isinstance(error, CodedError):
        msg = f"error must be a CodedError to act as a barrier, got {error!r}"
        raise TypeError(msg)
    error._barrier = True
    return error


def format_line(exc: BaseException) -> str:
    """The standard one-line form: ``module:code: message``.

    Without a code anywhere in the chain: ``TypeName: message``.
    """
    code = code_of(exc)
    if code:
        return f"{code}: {exc}"
    return f"{type(exc).__name__}: {exc}"
