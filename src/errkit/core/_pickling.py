"""Pickling support for coded errors: rebuilding without ``__init__``, and causes.

``BaseException.__reduce__`` pickles ``(cls, args)`` and unpickles with
``cls(*args)``, which breaks every subclass whose ``__init__`` wants more than the
message (BR-09), and it drops ``__cause__``. Coded errors instead rebuild with
``cls.__new__`` and restore their state; a foreign cause travels as itself when it
round-trips, else as a ``CauseSnapshot`` (type name, message, traceback text), and
its own chain is carried along by a ``_Link``.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

# pickle and traceback are imported where a foreign cause is made portable, on
# the first pickling of a coded error, not by `import errkit`.

if TYPE_CHECKING:
    from ._categories import Category
    from ._errors import CodedError

__all__ = ["CauseSnapshot", "portable", "rebuild", "rebuild_coded", "type_name"]


def type_name(cls: type) -> str:
    """``KeyError`` for builtins, else ``module.QualName``."""
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def rebuild(cls: type[CodedError], args: tuple[Any, ...]) -> CodedError:
    obj = cls.__new__(cls, *args)
    if cls._builtin_init is not None:
        cls._builtin_init(obj, *args)  # e.g. OSError parses errno, strerror
    return obj


def rebuild_coded(
    name: tuple[str, str], category: Category | None, args: tuple[Any, ...]
) -> CodedError:
    # Imported here, not at the top: _kinds imports _errors, which imports us.
    from ._kinds import coded

    module, qualname = name
    builtin: Any = importlib.import_module(module)
    for part in qualname.split("."):
        builtin = getattr(builtin, part)
    return rebuild(coded(builtin, category), args)


class CauseSnapshot(Exception):
    """Stands in for a cause that cannot cross a pickle: its type name, message
    and formatted traceback. Not raised by errkit; found in unpickled chains."""

    __module__ = "errkit"

    def __init__(
        self, message: str = "", type_name: str = "", traceback_text: str = ""
    ) -> None:
        super().__init__(message)
        self.type_name = type_name
        self.traceback_text = traceback_text

    def __reduce__(self) -> tuple[Any, ...]:
        state = {"__cause__": self.__cause__, "__context__": self.__context__}
        return (CauseSnapshot, (str(self), self.type_name, self.traceback_text), state)

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        state = state or {}
        self.__cause__ = state.get("__cause__")
        self.__context__ = state.get("__context__")

    def __repr__(self) -> str:
        return f"CauseSnapshot({self.type_name}: {str(self)!r})"

    @classmethod
    def of(cls, exc: BaseException) -> CauseSnapshot:
        """A snapshot of ``exc`` (without its chain)."""
        import traceback

        text = "".join(traceback.format_exception(exc, chain=False))
        return cls(str(exc), type_name(type(exc)), text)


#: Set while _round_trips test-pickles a foreign error: coded errors inside it
#: (group members) then leave their chains out, which would otherwise lead back
#: to the error being tested and recurse without end.
_checking = threading.local()


def _round_trips(exc: BaseException) -> bool:
    import pickle

    _checking.active = True
    try:
        back = pickle.loads(pickle.dumps(exc, pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - any failure means: send a snapshot instead
        return False
    finally:
        _checking.active = False
    return type(back) is type(exc) and str(back) == str(exc)


class _Link:
    """Pickles a foreign exception together with its chain, which
    ``BaseException.__reduce__`` would drop."""

    __slots__ = ("cause", "context", "exc", "suppress")

    def __init__(
        self, exc: BaseException, cause: object, context: object, suppress: bool
    ) -> None:
        self.exc, self.cause, self.context, self.suppress = (
            exc,
            cause,
            context,
            suppress,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_relink, (self.exc, self.cause, self.context, self.suppress))


def _relink(
    exc: BaseException,
    cause: BaseException | None,
    context: BaseException | None,
    suppress: bool,
) -> BaseException:
    exc.__cause__, exc.__context__ = cause, context
    exc.__suppress_context__ = suppress
    return exc


def portable(
    exc: BaseException | None, seen: set[int], keep: type[BaseException]
) -> object:
    """``exc`` in a form that survives pickling with its chain.

    Instances of ``keep`` (coded errors) pickle themselves. A foreign error is
    kept if it round-trips, else replaced by a ``CauseSnapshot``; its own chain
    is carried by a ``_Link``. ``seen`` holds ``id()``s (exceptions may be
    unhashable) to cut cycles.
    """
    if getattr(_checking, "active", False):
        return None  # only testing whether an enclosing foreign error pickles
    if exc is None or isinstance(exc, keep):
        return exc
    if id(exc) in seen:
        return None  # a back-edge among foreign errors: drop it, keep the rest
    seen.add(id(exc))
    base: BaseException = exc if _round_trips(exc) else CauseSnapshot.of(exc)
    cause = portable(exc.__cause__, seen, keep)
    context = portable(exc.__context__, seen, keep)
    if cause is None and context is None:
        return base
    return _Link(base, cause, context, exc.__suppress_context__)
