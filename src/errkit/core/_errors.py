"""``CodedError``: the root of coded errors, and how a class declares a kind.

A coded error is an ordinary exception with a module, a code, a category, a
severity, a retryable flag and a context dict. Three rules shape this module:

* ``str(err)`` is never overridden: a coded ``KeyError("k")`` prints ``'k'`` like
  the builtin, and ``args`` stay exactly as passed. The code shows in ``repr``,
  ``code_str``, ``to_dict()`` and the ``module:code: message`` line form.
* ``CodedError`` is a plain ``Exception``: the types built on it (``_kinds``)
  add exactly the ancestry of the builtin they replace, so no ``except`` clause
  starts or stops catching them. Builtins that parse their args in ``__init__``
  (``OSError``...) still get to.
* Raising a class-declared error is cheap: module, code, category, severity and
  retryable are class attributes; ``__init__`` only touches the instance when
  keywords are passed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from ._categories import CATEGORY_DEFAULTS, Category, Severity, as_category, as_severity
from ._pickling import portable, rebuild, rebuild_coded, type_name
from ._registry import get_registry

__all__ = ["CodedError"]

#: BaseException's own __cause__ slot, which CodedError.__cause__ delegates to.
_CAUSE: Any = BaseException.__dict__["__cause__"]

#: Keywords every coded error accepts at raise time besides its structured fields.
_CORE_KEYWORDS = frozenset(
    {"module", "code", "category", "severity", "retryable", "context", "safe"}
)


# --- checks for class and raise keywords -----------------------------------------


def _definition_site() -> str:
    """``file:line`` of the class statement being executed, for registry messages."""
    frame = sys._getframe(1)
    # Skip __init_subclass__ frames (ours and any user override calling super()).
    while frame is not None and frame.f_code.co_name == "__init_subclass__":
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return ""
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _check_code(code: object, where: str) -> int:
    if type(code) is int and code >= 0:  # the common case, checked cheaply
        return code
    msg = f"{where}: code must be an integer of zero or more, got {code!r}"
    if not isinstance(code, int) or isinstance(code, bool):
        raise TypeError(msg)
    if code < 0:
        raise ValueError(msg)
    return int(code)  # an int subclass (an IntEnum member): keep the plain value


def _check_module(module: object, where: str) -> str:
    if type(module) is str and module:  # the common case, checked cheaply
        return module
    if isinstance(module, str) and module:
        return str(module)  # a str subclass (a StrEnum member): keep the text
    msg = f"{where}: module must be a non-empty string, got {module!r}"
    raise TypeError(msg)


def _check_bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        msg = f"{where} must be True or False, got {value!r}"
        raise TypeError(msg)
    return value


def _check_keys(keys: object, where: str) -> frozenset[str]:
    # A lone string is almost always a slip for [string]: iterating it would
    # mark single characters safe, so it is refused rather than guessed at.
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        msg = f"{where} must be an iterable of context keys, got {keys!r}"
        raise TypeError(msg)
    found = frozenset(keys)
    bad = sorted(repr(k) for k in found if not isinstance(k, str))
    if bad:
        msg = f"{where} keys must be strings, got {', '.join(bad)}"
        raise TypeError(msg)
    return found


def _field_property(name: str) -> property:
    """A structured field stored in the error's context under its own name."""

    def get(self: CodedError) -> Any:
        ctx = self._context
        return None if ctx is None else ctx.get(name)

    def set_(self: CodedError, value: Any) -> None:
        self.context[name] = value

    return property(get, set_, doc=f"The {name!r} detail (kept in ``context``).")


# --- the root class -----------------------------------------------------------------


class CodedError(Exception):
    """Root of coded errors; a plain ``Exception`` with a code and a category.

    Declare a kind once per module; the class statement registers its code::

        class OutOfStock(errkit.ConflictError, module="inventory", code=120):
            '''Not enough stock to reserve.'''

    Class keywords: ``module``, ``code``, ``category``, ``severity``,
    ``retryable``, ``safe`` (context keys fit to show clients) and
    ``public_message``. Raise-time keywords (all optional) override the class:
    ``module``, ``code``, ``category``, ``severity``, ``retryable``,
    ``context`` (a dict), ``safe`` (keys of the context that clients may see),
    plus the structured fields of the category type (``field``, ``value``, ...).
    Positional arguments become ``args`` exactly as given.

    Raises:
        DuplicateCodeError: (class statement) another class has the same
            ``(module, code)``.
        CodeOutOfRangeError: (class statement) the code is outside the module's
            configured range.
        TypeError: (raise) an unknown keyword was passed.
    """

    __module__ = "errkit"  # the public spelling, in tracebacks and pickles

    # Class-level defaults: a raise that passes no keywords creates no dict.
    module: str | None = None
    code: int | None = None
    category: Category = Category.INTERNAL
    severity: Severity = CATEGORY_DEFAULTS[Category.INTERNAL].severity
    retryable: bool = CATEGORY_DEFAULTS[Category.INTERNAL].retryable
    #: Context keys that may be shown to clients; everything else is sensitive.
    safe_fields: ClassVar[frozenset[str]] = frozenset()
    #: Message shown to clients instead of ``str(err)``; None: see ``safe_message``.
    public_message: ClassVar[str | None] = None
    #: Structured fields this type accepts as keywords (kept in ``context``).
    _fields: ClassVar[tuple[str, ...]] = ()
    _all_fields: ClassVar[frozenset[str]] = frozenset()
    #: The builtin __init__ that parses args (OSError's...), or None.
    _builtin_init: ClassVar[Any] = None
    #: ``(builtin, category)`` for classes made by ``coded()``; pickled by spec.
    _coded_spec: ClassVar[tuple[type[BaseException], Category | None] | None] = None
    _context: dict[str, Any] | None = None
    _safe: frozenset[str] | None = None
    #: True on an error made a barrier by ``errkit.barrier`` (lookups stop here).
    _barrier: bool = False

    # --- declaring a kind -------------------------------------------------------

    def __init_subclass__(
        cls,
        *,
        module: str | None = None,
        code: int | None = None,
        category: Category | str | None = None,
        severity: Severity | str | None = None,
        retryable: bool | None = None,
        safe: Iterable[str] | None = None,
        public_message: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        where = f"class {cls.__name__}"
        parsing = next((b for b in _PARSING_BUILTINS if issubclass(cls, b)), None)
        cls._builtin_init = None if parsing is None else parsing.__init__
        if "_coded_spec" not in cls.__dict__:
            cls._coded_spec = None  # subclasses of a coded() type pickle by name
        if category is not None:
            cls.category = as_category(category)
            defaults = CATEGORY_DEFAULTS[cls.category]
            cls.severity, cls.retryable = defaults.severity, defaults.retryable
        if severity is not None:
            cls.severity = as_severity(severity)
        if retryable is not None:
            cls.retryable = _check_bool(retryable, f"{where}: retryable")
        if public_message is not None:
            cls.public_message = public_message
        if safe is not None:
            cls.safe_fields = cls.safe_fields | _check_keys(safe, f"{where}: safe")

        own = cls.__dict__.get("_fields", ())
        for name in own:
            if name not in cls.__dict__:
                setattr(cls, name, _field_property(name))
        inherited = [getattr(b, "_all_fields", ()) for b in cls.__bases__]
        cls._all_fields = frozenset(own).union(*inherited)

        if module is not None:
            cls.module = _check_module(module, where)
        if code is not None:
            cls.code = _check_code(code, where)
            if cls.module is None:
                msg = f"{where}: code={code!r} needs a module (module=...)"
                raise TypeError(msg)
            get_registry().register(cls, cls.module, cls.code, _definition_site())

        # Pick the __init__ variant, unless the class writes its own (whose
        # super().__init__ call then reaches one of ours, all of which set args).
        if "__init__" not in cls.__dict__ and cls.__init__ in _INITS.values():
            variant = _INITS[(parsing is not None, cls.code is not None)]
            if cls.__init__ is not variant:
                cls.__init__ = variant  # type: ignore[method-assign]

    def __init__(
        self,
        *args: object,
        module: str | None = None,
        code: int | None = None,
        **kwargs: Any,
    ) -> None:
        # The variant for types raised with module= and code= (the category
        # types, coded() types: what migrated code raises). Named parameters
        # spare CPython a second keyword dict: about half the cost of **kwargs.
        # BaseException.__new__ stored args already; set them again because a
        # subclass __init__ may pass fewer (super().__init__(message)).
        self.args = args
        if module is not None:
            if type(module) is not str or not module:
                module = _check_module(module, type(self).__name__)
            self.module = module
        if code is not None:
            if type(code) is not int or code < 0:
                code = _check_code(code, type(self).__name__)
            self.code = code
        if kwargs:
            self._apply(kwargs)

    # --- raise-time keywords ----------------------------------------------------

    def _apply(self, kwargs: dict[str, Any]) -> None:
        """Store raise-time keywords; only reached when some were passed."""
        fields: dict[str, Any] | None = None
        for key, value in kwargs.items():
            if value is None:
                continue  # None means "not given", as in the signature
            # module= and code= are what every migrated raise passes: the
            # common valid values are checked inline, without a call.
            if key == "module":
                if type(value) is not str or not value:
                    value = _check_module(value, type(self).__name__)
                self.module = value
            elif key == "code":
                if type(value) is not int or value < 0:
                    value = _check_code(value, type(self).__name__)
                self.code = value
            elif key == "category":
                self.category = as_category(value)
                defaults = CATEGORY_DEFAULTS[self.category]
                if "severity" not in kwargs:
                    self.severity = defaults.severity
                if "retryable" not in kwargs:
                    self.retryable = defaults.retryable
            elif key == "severity":
                self.severity = as_severity(value)
            elif key == "retryable":
                self.retryable = _check_bool(value, f"{type(self).__name__}: retryable")
            elif key == "context":
                if not isinstance(value, Mapping):
                    msg = (
                        f"{type(self).__name__}: context must be a mapping,"
                        f" got {value!r}"
                    )
                    raise TypeError(msg)
                self.context.update(value)
            elif key == "safe":
                where = f"{type(self).__name__}: safe"
                self._safe = self.safe_fields | _check_keys(value, where)
            elif key in self._all_fields:
                if fields is None:
                    fields = {}
                fields[key] = value
            else:
                accepted = sorted(_CORE_KEYWORDS | self._all_fields)
                msg = (
                    f"{type(self).__name__}() got an unexpected keyword argument"
                    f" {key!r}; accepted: {', '.join(accepted)}"
                )
                raise TypeError(msg)
        if fields:
            # Structured fields first, so an explicit context= wins on a clash.
            ctx = self._context
            self._context = {**fields, **ctx} if ctx else fields

    # --- the coded view -----------------------------------------------------------

    @property
    def context(self) -> dict[str, Any]:
        """Details of this failure (sensitive unless listed in ``safe_keys``)."""
        ctx = self._context
        if ctx is None:
            ctx = self._context = {}
        return ctx

    @context.setter
    def context(self, value: Mapping[str, Any]) -> None:
        self._context = dict(value)

    @property
    def safe_keys(self) -> frozenset[str]:
        """Context keys that may be shown to clients."""
        return self.safe_fields if self._safe is None else self._safe

    def safe_context(self) -> dict[str, Any]:
        """The part of ``context`` that may be shown to clients."""
        keys = self.safe_keys
        return {k: v for k, v in (self._context or {}).items() if k in keys}

    @property
    def code_str(self) -> str:
        """``"inventory:120"``; just the module or code if one is missing."""
        if self.code is None:
            return self.module or ""
        return f"{self.module}:{self.code}" if self.module else str(self.code)

    @property
    def message(self) -> str:
        """``str(self)``: the message exactly as the builtin would print it."""
        return str(self)

    @property
    def safe_message(self) -> str:
        """A message fit for clients: ``public_message``, else the message unless
        the error is internal (an internal error's text stays in the logs)."""
        if self.public_message is not None:
            return self.public_message
        if self.category is Category.INTERNAL:
            return "internal error"
        return str(self)

    @property
    def line(self) -> str:
        """The standard one-line form ``module:code: message``."""
        code = self.code_str
        return f"{code}: {self}" if code else str(self)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args]
        if self.module is not None:
            parts.append(f"module={self.module!r}")
        if self.code is not None:
            parts.append(f"code={self.code!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The coded form as plain data (for logs; ``context`` is not filtered)."""
        data: dict[str, Any] = {
            "type": f"{type(self).__module__}.{type(self).__qualname__}",
            "module": self.module,
            "code": self.code,
            "code_str": self.code_str,
            "category": self.category.value,
            "severity": self.severity.value,
            "retryable": self.retryable,
            "message": str(self),
            "context": dict(self._context or {}),
            "safe_keys": sorted(self.safe_keys),
        }
        cause = self.__cause__
        if cause is not None:
            data["cause"] = {"type": type_name(type(cause)), "message": str(cause)}
        return data

    # --- pickling -----------------------------------------------------------------

    # concurrent.futures' process pool unpickles a worker's error and then
    # overwrites its __cause__ with a _RemoteTraceback (the worker's traceback as
    # text), dropping the cause that pickling carried across. This property
    # hooks that Python-level assignment and hangs the carried cause under the
    # _RemoteTraceback. ``raise ... from`` sets the cause in C and is unaffected.
    @property
    def __cause__(self) -> BaseException | None:
        cause: BaseException | None = _CAUSE.__get__(self)
        return cause

    @__cause__.setter
    def __cause__(self, value: BaseException | None) -> None:
        old = _CAUSE.__get__(self)
        if (
            old is not None
            and value is not None
            and value.__cause__ is None
            and type(value).__qualname__ == "_RemoteTraceback"
        ):
            value.__cause__ = old
        _CAUSE.__set__(self, value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Never cls(*args): subclasses may have required or keyword-only __init__
        # parameters. Rebuild with __new__ and restore the state instead; the
        # state goes in the third slot so pickle memoizes self first (cycles).
        args = self.args
        if isinstance(self, OSError) and self.filename is not None:
            # OSError keeps filenames out of args; its constructor wants them back.
            args = (*args[:2], self.filename)
            if self.filename2 is not None:
                args = (*args, None, self.filename2)
        spec = type(self)._coded_spec
        if spec is None:
            head: tuple[Any, ...] = (rebuild, (type(self), args))
        else:
            # The builtin goes by name: protocols 0-2 would map e.g.
            # FileNotFoundError to Python 2's OSError if pickled as a class.
            builtin, category = spec
            name = (builtin.__module__, builtin.__qualname__)
            head = (rebuild_coded, (name, category, args))
        seen: set[int] = set()
        state = dict(self.__dict__)
        state["__cause__"] = portable(self.__cause__, seen, CodedError)
        state["__context__"] = portable(self.__context__, seen, CodedError)
        state["__suppress_context__"] = self.__suppress_context__
        return (*head, state)

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        state = dict(state or {})
        self.__cause__ = state.pop("__cause__", None)
        self.__context__ = state.pop("__context__", None)
        self.__suppress_context__ = state.pop("__suppress_context__", False)
        self.__dict__.update(state)


#: Builtins whose own __init__ parses the positional args into fields.
_PARSING_BUILTINS: tuple[type[BaseException], ...] = (
    OSError,
    SyntaxError,
    ImportError,
    UnicodeEncodeError,
    UnicodeDecodeError,
    UnicodeTranslateError,
    StopIteration,
    AttributeError,
    NameError,
)


# --- __init__ variants -------------------------------------------------------------
# A class-declared kind (one with a class-level code) is raised with a message
# and rarely keywords: its __init__ is the lean one, since two keyword-only
# parameters cost every raise about 20 ns (the 2x budget is tight). Types raised
# ad hoc with module= and code= keep CodedError.__init__, which names them.


def _lean_init(self: CodedError, *args: object, **kwargs: Any) -> None:
    """``__init__`` of class-declared kinds: this body is their whole raise cost."""
    self.args = args
    if kwargs:
        self._apply(kwargs)


def _parsing_init(
    self: CodedError,
    *args: object,
    module: str | None = None,
    code: int | None = None,
    **kwargs: Any,
) -> None:
    """``CodedError.__init__`` for types whose builtin parses its args."""
    type(self)._builtin_init(self, *args)  # OSError: errno, strerror, filename
    if module is not None:
        kwargs["module"] = module
    if code is not None:
        kwargs["code"] = code
    if kwargs:
        self._apply(kwargs)


def _lean_parsing_init(self: CodedError, *args: object, **kwargs: Any) -> None:
    """``_lean_init`` for class-declared kinds whose builtin parses its args."""
    type(self)._builtin_init(self, *args)
    if kwargs:
        self._apply(kwargs)


#: (builtin parses args, class has a code) -> the __init__ to use.
_INITS: dict[tuple[bool, bool], Any] = {
    (False, False): CodedError.__init__,
    (False, True): _lean_init,
    (True, False): _parsing_init,
    (True, True): _lean_parsing_init,
}
