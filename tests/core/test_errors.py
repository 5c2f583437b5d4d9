"""Tests for coded errors: category types, coded(builtin), fields, safe details."""

from __future__ import annotations

import builtins
import copy
import traceback
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import errkit
from errkit import Category, Severity, sentinels

#: Each category type and the builtin it replaces (its only builtin ancestry).
CATEGORY_TYPES: list[tuple[type[errkit.CodedError], type[BaseException]]] = [
    (errkit.ValidationError, ValueError),
    (errkit.NotFoundError, LookupError),
    (errkit.ConflictError, Exception),
    (errkit.UnauthorizedError, PermissionError),
    (errkit.StateError, RuntimeError),
    (errkit.ExternalError, ConnectionError),
    (errkit.InternalError, RuntimeError),
    (errkit.TimeoutError, builtins.TimeoutError),
    (errkit.RateLimitError, Exception),
]

#: The named coded builtins the raise rewrite uses.
NAMED_CODED: list[tuple[type[errkit.CodedError], type[BaseException]]] = [
    (errkit.CodedKeyError, KeyError),
    (errkit.CodedIndexError, IndexError),
    (errkit.CodedTypeError, TypeError),
    (errkit.CodedAttributeError, AttributeError),
    (errkit.CodedOSError, OSError),
    (errkit.CodedFileNotFoundError, FileNotFoundError),
    (errkit.CodedFileExistsError, FileExistsError),
    (errkit.CodedConnectionError, ConnectionError),
]

ALL_TYPES = CATEGORY_TYPES + NAMED_CODED + [(errkit.CodedError, Exception)]


def _builtin_ancestry(cls: type) -> list[type]:
    return [c for c in cls.__mro__ if c.__module__ == "builtins"]


def _name(value: Any) -> str:
    return getattr(value, "__name__", str(value))


class TestAncestry:
    @pytest.mark.parametrize(("cls", "builtin"), ALL_TYPES, ids=_name)
    def test_builtin_ancestry_is_exactly_the_builtins(
        self, cls: type[errkit.CodedError], builtin: type[BaseException]
    ) -> None:
        """The builtin classes in the MRO are exactly those of the builtin."""
        assert _builtin_ancestry(cls) == list(builtin.__mro__)

    @pytest.mark.parametrize(("cls", "builtin"), ALL_TYPES, ids=_name)
    def test_except_builtin_catches_it(
        self, cls: type[errkit.CodedError], builtin: type[BaseException]
    ) -> None:
        """``except <builtin>`` catches the coded type raised with a code."""
        with pytest.raises(builtin):
            raise cls("boom", module="shop", code=1)

    def test_except_value_error_catches_validation_error(self) -> None:
        """A ValidationError is caught by ``except ValueError``."""
        try:
            raise errkit.ValidationError("bad quantity", module="shop", code=1)
        except ValueError as exc:
            caught: BaseException = exc
        assert type(caught) is errkit.ValidationError

    def test_except_key_error_catches_coded_key_error(self) -> None:
        """A CodedKeyError is caught by ``except KeyError``."""
        try:
            raise errkit.CodedKeyError("sku-1", module="shop", code=11)
        except KeyError as exc:
            caught: BaseException = exc
        assert caught.args == ("sku-1",)

    def test_conflict_error_is_not_a_lookup_error(self) -> None:
        """No except clause starts catching: a ConflictError is no ValueError."""
        assert not issubclass(errkit.ConflictError, (ValueError, LookupError, OSError))

    def test_timeout_error_is_the_builtin(self) -> None:
        """errkit.TimeoutError is a builtin TimeoutError (and so an OSError)."""
        assert issubclass(errkit.TimeoutError, builtins.TimeoutError)
        assert errkit.TimeoutError is not builtins.TimeoutError


class TestStrAndArgs:
    @pytest.mark.parametrize(("cls", "builtin"), ALL_TYPES, ids=_name)
    @pytest.mark.parametrize(
        "args",
        [("order 7 not found",), (), ("a", 2), (13, "denied")],
        ids=["message", "empty", "two", "errno"],
    )
    def test_str_and_args_equal_the_builtin(
        self,
        cls: type[errkit.CodedError],
        builtin: type[BaseException],
        args: tuple[object, ...],
    ) -> None:
        """str() and args match the builtin's for the same arguments."""
        err = cls(*args, module="shop", code=5, context={"k": 1})
        plain = builtin(*args)
        assert (str(err), err.args) == (str(plain), plain.args)

    def test_coded_key_error_str_quotes_like_key_error(self) -> None:
        """A coded KeyError prints its key repr-quoted, exactly like KeyError."""
        assert str(errkit.CodedKeyError("sku-1", module="shop", code=11)) == "'sku-1'"

    def test_oserror_fields_parsed(self) -> None:
        """OSError-based types parse errno, strerror and filename as the builtin."""
        err = errkit.CodedFileNotFoundError(
            2, "No such file", "a.txt", code=3, module="fs"
        )
        assert (err.errno, err.strerror, err.filename) == (2, "No such file", "a.txt")
        assert str(err) == "[Errno 2] No such file: 'a.txt'"

    def test_message_is_str(self) -> None:
        """``message`` is str(err)."""
        err = errkit.CodedKeyError("k")
        assert err.message == "'k'"

    def test_str_not_overridden(self) -> None:
        """No coded type defines __str__ (the builtin's is used)."""
        for cls, _ in ALL_TYPES:
            assert all(
                "__str__" not in vars(c)
                for c in cls.__mro__
                if issubclass(c, errkit.CodedError)
            )


class OutOfStock(errkit.ConflictError, module="coretest.inventory", code=120):
    """Module-level declared kind used by several tests."""


class TestDeclaredKinds:
    def test_class_attributes(self) -> None:
        """A declared kind carries module, code and its category defaults."""
        err = OutOfStock("no stock for sku-1")
        assert (err.module, err.code, err.category, err.severity, err.retryable) == (
            "coretest.inventory",
            120,
            Category.CONFLICT,
            Severity.WARNING,
            False,
        )
        assert err.code_str == "coretest.inventory:120"

    def test_declared_without_keywords_creates_no_instance_dict(self) -> None:
        """Raising with only a message keeps the instance free of state."""
        err = OutOfStock("no stock")
        assert err.__dict__ == {}
        assert err.context == {}

    def test_registers_at_class_creation(self, fresh_registry: errkit.Registry) -> None:
        """The class statement registers (module, code) in the registry."""

        class Expired(errkit.ValidationError, module="billing", code=7):
            pass

        reg = fresh_registry.lookup("billing", 7)
        assert reg is not None
        assert reg.cls is Expired
        assert reg.defined_at.endswith(f"test_errors.py:{Expired_line()}")

    def test_class_overrides_severity_and_retryable(self) -> None:
        """Class keywords override the category defaults."""

        class Flaky(
            errkit.ConflictError,
            module="m",
            code=1,
            severity="critical",
            retryable=True,
        ):
            pass

        assert (Flaky.severity, Flaky.retryable) == (Severity.CRITICAL, True)

    def test_raise_overrides_class(self) -> None:
        """Raise-time keywords override the class, for that instance only."""
        err = OutOfStock("x", severity=Severity.ERROR, retryable=True)
        assert (err.severity, err.retryable) == (Severity.ERROR, True)
        assert (OutOfStock.severity, OutOfStock.retryable) == (Severity.WARNING, False)

    def test_raise_category_brings_its_defaults(self) -> None:
        """A category given at raise time brings that category's defaults."""
        err = errkit.CodedError("boom", category="external")
        assert (err.category, err.severity, err.retryable) == (
            Category.EXTERNAL,
            Severity.ERROR,
            True,
        )

    def test_subclass_inherits_code(self) -> None:
        """A subclass without code= is the same kind and is not registered again."""

        class SpecialOutOfStock(OutOfStock):
            pass

        assert SpecialOutOfStock("x").code_str == "coretest.inventory:120"

    def test_module_base_class(self) -> None:
        """A module-wide base class sets module for its kinds."""

        class InventoryError(errkit.CodedError, module="inventory"):
            pass

        class Reserved(InventoryError, errkit.ConflictError, code=121):
            pass

        assert Reserved("x").code_str == "inventory:121"

    def test_code_without_module_rejected(self) -> None:
        """A class code needs a module; the message names the class and code."""
        with pytest.raises(TypeError) as info:

            class Orphan(errkit.ValidationError, code=5):
                pass

        assert str(info.value) == "class Orphan: code=5 needs a module (module=...)"

    @pytest.mark.parametrize(
        ("code", "exc_type"),
        [("12", TypeError), (-1, ValueError), (True, TypeError)],
        ids=["str", "negative", "bool"],
    )
    def test_bad_code_rejected(self, code: object, exc_type: type[Exception]) -> None:
        """A code must be a non-negative int; the message shows the value."""
        with pytest.raises(exc_type) as info:
            errkit.ValidationError("x", module="m", code=code)
        assert str(info.value) == (
            f"ValidationError: code must be an integer of zero or more, got {code!r}"
        )

    def test_unknown_keyword_rejected(self) -> None:
        """An unknown raise keyword is a TypeError listing the accepted ones."""
        with pytest.raises(TypeError) as info:
            errkit.NotFoundError("x", resource="order")
        assert str(info.value) == (
            "NotFoundError() got an unexpected keyword argument 'resource'; accepted:"
            " category, code, context, module, resource_id, resource_type,"
            " retryable, safe, severity"
        )


def Expired_line() -> int:
    """Line of the ``class Expired`` statement in test_registers_at_class_creation."""
    import inspect

    source, start = inspect.getsourcelines(
        TestDeclaredKinds.test_registers_at_class_creation
    )
    offset = next(i for i, line in enumerate(source) if "class Expired" in line)
    return start + offset


class TestFields:
    @pytest.mark.parametrize(
        ("cls", "fields"),
        [
            (errkit.ValidationError, {"field": "qty", "value": -1}),
            (errkit.NotFoundError, {"resource_type": "order", "resource_id": "7"}),
            (errkit.ConflictError, {"resource_type": "order", "resource_id": "7"}),
            (errkit.UnauthorizedError, {"action": "refund", "reason": "role"}),
            (errkit.StateError, {"state": "shipped", "expected_state": "open"}),
            (
                errkit.ExternalError,
                {"service": "pay", "operation": "charge", "retry_after": 2.0},
            ),
            (errkit.InternalError, {"component": "ledger"}),
            (errkit.TimeoutError, {"operation": "charge", "duration": 5.0}),
            (
                errkit.RateLimitError,
                {
                    "limit": 100,
                    "remaining": 0,
                    "reset_at": 1700000000,
                    "retry_after": 30,
                },
            ),
        ],
        ids=_name,
    )
    def test_structured_fields(
        self, cls: type[errkit.CodedError], fields: dict[str, Any]
    ) -> None:
        """Each category type takes its fields as keywords, as attributes and
        in context."""
        err = cls("boom", module="m", code=1, **fields)
        assert {k: getattr(err, k) for k in fields} == fields
        assert err.context == fields

    def test_unset_field_is_none(self) -> None:
        """A field not given reads as None."""
        assert errkit.NotFoundError("x").resource_id is None

    def test_explicit_context_wins_over_field(self) -> None:
        """context= and fields merge; context= wins on the same key."""
        err = errkit.NotFoundError(
            "x", resource_id="7", context={"resource_id": "8", "tenant": "t"}
        )
        assert err.context == {"resource_id": "8", "tenant": "t"}

    def test_field_assignment_goes_to_context(self) -> None:
        """Assigning a field (as a subclass __init__ would) stores it in context."""
        err = errkit.RateLimitError("slow down")
        err.limit = 10
        assert err.context == {"limit": 10}


class TestSafeDetails:
    def test_context_sensitive_by_default(self) -> None:
        """Only the class's safe fields show in safe_context()."""
        err = errkit.NotFoundError(
            "x", resource_type="order", resource_id="7", context={"email": "a@b.c"}
        )
        assert err.safe_context() == {"resource_type": "order"}

    def test_raise_declares_safe_keys(self) -> None:
        """safe= at raise time adds keys to the class's safe ones."""
        err = errkit.NotFoundError(
            "x", resource_type="order", resource_id="7", safe=["resource_id"]
        )
        assert err.safe_context() == {"resource_type": "order", "resource_id": "7"}

    def test_class_declares_safe_keys(self) -> None:
        """safe= on the class adds keys for all its instances."""

        class Missing(errkit.NotFoundError, module="m", code=10, safe=["tenant"]):
            pass

        err = Missing("x", context={"tenant": "acme", "email": "a@b.c"})
        assert err.safe_context() == {"tenant": "acme"}
        assert Missing.safe_fields == frozenset({"resource_type", "tenant"})

    def test_safe_message_hides_internal(self) -> None:
        """An internal error's message never reaches clients; others' do."""
        assert (
            errkit.InternalError("db password wrong").safe_message == "internal error"
        )
        assert errkit.NotFoundError("order 7 not found").safe_message == (
            "order 7 not found"
        )

    def test_public_message_class_keyword(self) -> None:
        """public_message= sets what clients see."""

        class Down(
            errkit.InternalError, module="m", code=60, public_message="try again later"
        ):
            pass

        assert Down("pool exhausted").safe_message == "try again later"

    @pytest.mark.parametrize(
        "cls", [errkit.RateLimitError, errkit.ExternalError], ids=_name
    )
    def test_retry_after(self, cls: type[errkit.CodedError]) -> None:
        """Rate-limit and external errors carry a retry_after, safe to show."""
        err = cls("busy", retry_after=30)
        assert err.retry_after == 30  # type: ignore[attr-defined]
        assert err.safe_context() == {"retry_after": 30}


class TestCodedForm:
    def test_repr_shows_code(self) -> None:
        """repr shows the arguments and the module and code."""
        assert repr(OutOfStock("no stock")) == (
            "OutOfStock('no stock', module='coretest.inventory', code=120)"
        )

    def test_repr_without_code(self) -> None:
        """repr of an uncoded error looks like the builtin's."""
        assert repr(errkit.ValidationError("bad")) == "ValidationError('bad')"

    def test_line_form(self) -> None:
        """The one-line form is ``module:code: message``."""
        assert OutOfStock("no stock").line == "coretest.inventory:120: no stock"
        assert (
            errkit.format_line(OutOfStock("no stock"))
            == "coretest.inventory:120: no stock"
        )

    @pytest.mark.parametrize(
        ("module", "code", "expected"),
        [("a", 1, "a:1"), ("a", None, "a"), (None, 1, "1"), (None, None, "")],
        ids=["both", "module", "code", "neither"],
    )
    def test_code_str(
        self, module: str | None, code: int | None, expected: str
    ) -> None:
        """code_str degrades to what is known."""
        assert errkit.CodedError("x", module=module, code=code).code_str == expected

    def test_to_dict(self) -> None:
        """to_dict gives the whole coded form as plain data."""
        err = errkit.NotFoundError(
            "order 7 not found",
            module="orders",
            code=110,
            resource_type="order",
            resource_id="7",
        )
        err.__cause__ = KeyError(7)
        assert err.to_dict() == {
            "type": "errkit.NotFoundError",
            "module": "orders",
            "code": 110,
            "code_str": "orders:110",
            "category": "not_found",
            "severity": "warning",
            "retryable": False,
            "message": "order 7 not found",
            "context": {"resource_type": "order", "resource_id": "7"},
            "safe_keys": ["resource_type"],
            "cause": {"type": "KeyError", "message": "7"},
        }


class TestCoded:
    @pytest.mark.parametrize(("cls", "builtin"), NAMED_CODED, ids=_name)
    def test_named_types_are_coded_of_builtin(
        self, cls: type[errkit.CodedError], builtin: type[BaseException]
    ) -> None:
        """The named Coded<Builtin> classes are what coded() returns."""
        assert errkit.coded(builtin) is cls
        assert cls.__name__ == f"Coded{builtin.__name__}"

    @pytest.mark.parametrize(
        ("builtin", "cls"),
        [
            (Exception, errkit.CodedError),
            (ValueError, errkit.ValidationError),
            (LookupError, errkit.NotFoundError),
            (RuntimeError, errkit.InternalError),
            (PermissionError, errkit.UnauthorizedError),
            (builtins.TimeoutError, errkit.TimeoutError),
        ],
        ids=_name,
    )
    def test_category_builtins_give_category_types(
        self, builtin: type[BaseException], cls: type[errkit.CodedError]
    ) -> None:
        """coded() of a builtin a category type replaces is that category type."""
        assert errkit.coded(builtin) is cls

    def test_other_builtins_cached(self) -> None:
        """coded() makes one class per (builtin, category) and reuses it."""
        first = errkit.coded(UnicodeDecodeError)
        assert errkit.coded(UnicodeDecodeError) is first
        assert issubclass(first, UnicodeDecodeError)
        assert first.category is Category.VALIDATION

    def test_explicit_category(self) -> None:
        """coded(builtin, category) makes a distinct type with that category."""
        cls = errkit.coded(KeyError, "conflict")
        assert cls is not errkit.CodedKeyError
        assert (issubclass(cls, KeyError), cls.category) == (True, Category.CONFLICT)

    @pytest.mark.parametrize(
        ("builtin", "category", "expected"),
        [
            (KeyError, "not_found", errkit.CodedKeyError),
            (ValueError, "validation", errkit.ValidationError),
            (errkit.ValidationError, None, errkit.ValidationError),
            (errkit.ValidationError, "validation", errkit.ValidationError),
        ],
        ids=["key-default", "value-default", "coded-none", "coded-same"],
    )
    def test_default_category_spelled_out_is_same_type(
        self,
        builtin: type[Exception],
        category: str | None,
        expected: type[errkit.CodedError],
    ) -> None:
        """Naming the default category gives the same type as naming none."""
        assert errkit.coded(builtin, category) is expected

    def test_coded_type_with_new_category_is_subclassed(self) -> None:
        """coded() of a coded type with another category subclasses it."""
        cls = errkit.coded(errkit.ValidationError, "state")
        assert cls.__bases__ == (errkit.ValidationError,)
        assert cls.category is Category.STATE

    def test_concurrent_calls_make_one_type(self) -> None:
        """Threads asking for the same new coded type all get one type."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=8) as pool:
            types = set(
                pool.map(lambda _: errkit.coded(BufferError, "state"), range(64))
            )
        assert len(types) == 1

    def test_rejects_non_exception(self) -> None:
        """coded() of something that is not an Exception class is a TypeError."""
        with pytest.raises(
            TypeError, match=r"^builtin must be an Exception subclass, got 3$"
        ):
            errkit.coded(3)  # type: ignore[arg-type]

    def test_user_subclass_of_named_type(self) -> None:
        """A declared kind based on CodedKeyError is still a KeyError."""

        class SkuMissing(errkit.CodedKeyError, module="catalog", code=11):
            pass

        assert str(SkuMissing("sku-1")) == "'sku-1'"
        assert isinstance(SkuMissing("sku-1"), KeyError)


class TestSentinelAncestry:
    @pytest.mark.parametrize(
        ("cls", "sentinel"),
        [
            (errkit.ValidationError, sentinels.InvalidInput),
            (errkit.NotFoundError, sentinels.NotFound),
            (errkit.ConflictError, sentinels.Conflict),
            (errkit.UnauthorizedError, sentinels.Unauthorized),
            (errkit.StateError, sentinels.InvalidState),
            (errkit.ExternalError, sentinels.ExternalService),
            (errkit.InternalError, sentinels.Internal),
            (errkit.TimeoutError, sentinels.Timeout),
            (errkit.RateLimitError, sentinels.RateLimitExceeded),
        ],
        ids=_name,
    )
    def test_category_type_is_its_sentinel(
        self, cls: type[errkit.CodedError], sentinel: type[Exception]
    ) -> None:
        """``except sentinels.X`` catches the category type that means X."""
        with pytest.raises(sentinel):
            raise cls("boom")


class TestProperties:
    @given(
        args=st.lists(
            st.one_of(st.text(), st.integers(), st.none(), st.floats(allow_nan=False)),
            max_size=3,
        ),
        pair=st.sampled_from(ALL_TYPES),
    )
    def test_str_and_args_equal_builtin_for_any_args(
        self,
        args: list[object],
        pair: tuple[type[errkit.CodedError], type[BaseException]],
    ) -> None:
        """For any args, str() and args equal the builtin's with the same args."""
        cls, builtin = pair
        err = cls(*args, module="m", code=1)
        plain = builtin(*args)
        assert (str(err), err.args) == (str(plain), plain.args)

    @given(pair=st.sampled_from(ALL_TYPES), message=st.text())
    def test_copy_round_trip(
        self, pair: tuple[type[errkit.CodedError], type[BaseException]], message: str
    ) -> None:
        """copy.deepcopy keeps type, message, code and context."""
        cls, _ = pair
        err = cls(message, module="m", code=2, context={"k": [1]})
        back = copy.deepcopy(err)
        assert (type(back), str(back), back.code_str, back.context) == (
            cls,
            str(err),
            "m:2",
            {"k": [1]},
        )


class TestKeywordChecks:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            (
                {"retryable": "yes"},
                "NotFoundError: retryable must be True or False, got 'yes'",
            ),
            (
                {"context": [("a", 1)]},
                "NotFoundError: context must be a mapping, got [('a', 1)]",
            ),
            (
                {"safe": "resource_id"},
                (
                    "NotFoundError: safe must be an iterable of context keys,"
                    " got 'resource_id'"
                ),
            ),
            ({"safe": [1]}, "NotFoundError: safe keys must be strings, got 1"),
            (
                {"module": ""},
                "NotFoundError: module must be a non-empty string, got ''",
            ),
        ],
        ids=["retryable", "context", "safe-str", "safe-int", "module-empty"],
    )
    def test_bad_raise_keyword(self, kwargs: dict[str, Any], message: str) -> None:
        """A raise keyword of the wrong kind names the parameter and the value."""
        with pytest.raises(TypeError) as info:
            errkit.NotFoundError("x", **kwargs)
        assert str(info.value) == message

    def test_bad_severity(self) -> None:
        """An unknown severity lists the choices."""
        with pytest.raises(ValueError) as info:
            errkit.NotFoundError("x", severity="fatal")
        assert str(info.value) == (
            "severity must be one of info, warning, error, critical, got 'fatal'"
        )

    def test_bad_class_keyword(self) -> None:
        """A class keyword of the wrong kind names the class and the value."""
        with pytest.raises(TypeError) as info:

            class Odd(errkit.ConflictError, module="m", code=1, safe="sku"):
                pass

        assert str(info.value) == (
            "class Odd: safe must be an iterable of context keys, got 'sku'"
        )


class TestCause:
    def test_traceback_shows_cause(self) -> None:
        """Tracebacks print a coded error's cause and its own line as usual."""
        try:
            try:
                raise KeyError("sku-1")
            except KeyError as e:
                raise OutOfStock("no stock for sku-1") from e
        except OutOfStock as exc:
            text = "".join(traceback.format_exception(exc))
        assert "KeyError: 'sku-1'" in text
        assert "direct cause of the following exception" in text
        assert text.endswith("OutOfStock: no stock for sku-1\n")

    def test_assigning_a_cause_replaces_it(self) -> None:
        """Assigning __cause__ replaces the old cause (no chaining under it)."""
        err = errkit.InternalError("x")
        first, second = KeyError("a"), ValueError("b")
        err.__cause__ = first
        err.__cause__ = second
        assert (err.__cause__, second.__cause__) == (second, None)


class TestInitVariants:
    def test_subclass_init_of_declared_kind_sets_args(self) -> None:
        """A subclass __init__ calling super().__init__(message) on a declared
        kind gets the builtin's args and str, with keywords applied."""

        class BadQty(errkit.ValidationError, module="shop", code=1):
            pass

        class BadQtyFor(BadQty):
            def __init__(self, sku: str, qty: int) -> None:
                super().__init__(f"bad quantity {qty} for {sku}", field="qty")
                self.sku = sku

        err = BadQtyFor("A-1", -2)
        assert (err.args, str(err), err.context, err.code_str) == (
            ("bad quantity -2 for A-1",),
            "bad quantity -2 for A-1",
            {"field": "qty"},
            "shop:1",
        )

    def test_declared_kind_still_takes_keywords(self) -> None:
        """A declared kind accepts every raise keyword, module and code included."""

        class Gone(errkit.NotFoundError, module="shop", code=11):
            pass

        err = Gone("x", module="other", code=12, resource_id="7", retryable=True)
        assert (err.code_str, err.resource_id, err.retryable) == ("other:12", "7", True)

    @pytest.mark.parametrize(
        "cls",
        [errkit.ValidationError, errkit.CodedOSError, errkit.CodedError],
        ids=_name,
    )
    def test_bad_module_and_code_named_parameters(
        self, cls: type[errkit.CodedError]
    ) -> None:
        """module= and code= are checked on every __init__ variant."""
        with pytest.raises(TypeError) as info:
            cls("x", module=3)
        assert str(info.value) == (
            f"{cls.__name__}: module must be a non-empty string, got 3"
        )
        with pytest.raises(TypeError) as info:
            cls("x", code="7")
        assert str(info.value) == (
            f"{cls.__name__}: code must be an integer of zero or more, got '7'"
        )
