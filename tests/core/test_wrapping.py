"""Tests for wrapping, context, and the chain lookups find/has/code_of/..."""

from __future__ import annotations

import asyncio
import builtins
import concurrent.futures

import pytest

import errkit
from errkit import Category, Severity, sentinels


class CardExpired(
    errkit.ValidationError, sentinels.Expired, module="coretest.billing", code=7
):
    """A kind that is also the Expired sentinel."""


def _chain() -> BaseException:
    """RuntimeError <- KeyError <- CardExpired (innermost)."""
    root = CardExpired("card expired", context={"card": "4242"})
    middle = KeyError("card")
    middle.__cause__ = root
    outer = RuntimeError("checkout failed")
    outer.__cause__ = middle
    return outer


class TestFind:
    @pytest.mark.parametrize(
        ("match", "found"),
        [
            (CardExpired, "CardExpired"),
            (sentinels.Expired, "CardExpired"),
            (KeyError, "KeyError"),
            ((OSError, ValueError), "CardExpired"),
            ("coretest.billing:7", "CardExpired"),
            (7, "CardExpired"),
            (Category.VALIDATION, "CardExpired"),
            (lambda e: str(e) == "checkout failed", "RuntimeError"),
        ],
        ids=[
            "class",
            "sentinel",
            "builtin",
            "tuple",
            "code-str",
            "code-int",
            "category",
            "predicate",
        ],
    )
    def test_find_by_each_kind_of_match(self, match: errkit.Match, found: str) -> None:
        """find returns the first error in the chain matching type, sentinel,
        code, category or predicate."""
        hit = errkit.find(_chain(), match)
        assert type(hit).__name__ == found

    @pytest.mark.parametrize(
        "match",
        [sentinels.Locked, "billing:8", 8, Category.TIMEOUT, OSError],
        ids=["sentinel", "code-str", "code-int", "category", "builtin"],
    )
    def test_no_match(self, match: errkit.Match) -> None:
        """find gives None and has False when nothing matches."""
        assert errkit.find(_chain(), match) is None
        assert errkit.has(_chain(), match) is False

    def test_bad_match(self) -> None:
        """A match of an unsupported kind is a TypeError naming the value."""
        with pytest.raises(TypeError) as info:
            errkit.find(_chain(), 1.5)  # type: ignore[arg-type]
        assert str(info.value) == (
            "match must be an exception type, a tuple of them, a 'module:code'"
            " string, an int code, a Category or a predicate, got 1.5"
        )

    @pytest.mark.parametrize(
        ("match", "error", "rule"),
        [
            ("inventory-120", ValueError, "; a string must be like 'inventory:120'"),
            ("nonsense", ValueError, "; a string must be like 'inventory:120'"),
            (":120", ValueError, "; a string must be like 'inventory:120'"),
            ("inventory:", ValueError, "; a string must be like 'inventory:120'"),
            ("inventory:12a", ValueError, "; a string must be like 'inventory:120'"),
            (-1, ValueError, "; an int code must be 0 or more"),
            ((), ValueError, "; a tuple must hold at least one type"),
            (None, TypeError, ""),
            (True, TypeError, ""),
            (str, TypeError, ""),
            ((KeyError, "billing:8"), TypeError, ""),
        ],
        ids=[
            "dash-string",
            "word",
            "no-module",
            "no-code",
            "non-digit-code",
            "negative-int",
            "empty-tuple",
            "none",
            "bool",
            "non-exception-class",
            "mixed-tuple",
        ],
    )
    def test_malformed_match_is_rejected(
        self, match: object, error: type[Exception], rule: str
    ) -> None:
        """find and has refuse a match they could never use, naming the value."""
        expected = (
            "match must be an exception type, a tuple of them, a 'module:code'"
            f" string, an int code, a Category or a predicate{rule}, got {match!r}"
        )
        for lookup in (errkit.find, errkit.has):
            with pytest.raises(error) as info:
                lookup(_chain(), match)  # type: ignore[arg-type]
            assert (type(info.value), str(info.value)) == (error, expected)

    @pytest.mark.parametrize(
        "match",
        ["shop.orders:410", "billing:0", 0],
        ids=["dotted-module", "code-zero", "int-zero"],
    )
    def test_well_formed_codes_are_accepted(self, match: errkit.Match) -> None:
        """Dotted modules and code 0 are valid codes; absent ones just miss."""
        assert errkit.has(_chain(), match) is False

    def test_none_safe(self) -> None:
        """Lookups on None answer None / False."""
        assert errkit.find(None, KeyError) is None
        assert errkit.has(None, KeyError) is False
        assert errkit.code_of(None) is None
        assert errkit.category_of(None) is None
        assert errkit.severity_of(None) is None
        assert errkit.is_retryable(None) is False
        assert errkit.root_cause(None) is None
        assert errkit.wrap(None, "x") is None
        assert errkit.with_context(None, a=1) is None

    def test_finds_inside_exception_groups(self) -> None:
        """Group members are searched."""
        group = ExceptionGroup(
            "batch", [ValueError("a"), errkit.NotFoundError("b", module="o", code=1)]
        )
        assert errkit.code_of(group) == "o:1"
        assert errkit.has(group, sentinels.NotFound)


class TestSentinelEquivalents:
    @pytest.mark.parametrize(
        ("exc", "sentinel"),
        [
            (KeyError("k"), sentinels.NotFound),
            (FileNotFoundError("f"), sentinels.NotFound),
            (FileExistsError("f"), sentinels.AlreadyExists),
            (builtins.TimeoutError("t"), sentinels.Timeout),
            (ConnectionResetError("c"), sentinels.ConnectionFailed),
            (PermissionError("p"), sentinels.Forbidden),
            (NotImplementedError("n"), sentinels.NotImplementedYet),
            (asyncio.CancelledError(), sentinels.Canceled),
            (concurrent.futures.CancelledError(), sentinels.Canceled),
            (ValueError("v"), sentinels.InvalidInput),
            (IndexError("i"), sentinels.OutOfRange),
        ],
        ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else v.__name__,
    )
    def test_builtin_matches_sentinel_in_lookups(
        self, exc: BaseException, sentinel: type[Exception]
    ) -> None:
        """has() treats builtins as the sentinel they mean (except cannot)."""
        outer = RuntimeError("outer")
        outer.__cause__ = exc
        assert errkit.has(outer, sentinel)

    def test_unrelated_sentinel_does_not_match(self) -> None:
        """A KeyError is not Expired."""
        assert not errkit.has(KeyError("k"), sentinels.Expired)


class TestExtractors:
    def test_code_of_first_coded(self) -> None:
        """code_of gives the innermost code when outer layers have none."""
        assert errkit.code_of(_chain()) == "coretest.billing:7"

    def test_code_of_skips_uncoded_wrappers(self) -> None:
        """A coded error without a code does not hide the code below it."""
        exc = errkit.wrap(CardExpired("x"), "charging")
        assert errkit.code_of(exc) == "coretest.billing:7"

    def test_category_of(self) -> None:
        """category_of: first coded error's category, else the builtin's."""
        assert errkit.category_of(_chain()) is Category.VALIDATION
        assert errkit.category_of(KeyError("k")) is Category.NOT_FOUND
        assert errkit.category_of(ZeroDivisionError()) is Category.INTERNAL

    def test_severity_of(self) -> None:
        """severity_of: first coded error's severity, else error."""
        assert errkit.severity_of(_chain()) is Severity.WARNING
        assert errkit.severity_of(KeyError("k")) is Severity.ERROR

    @pytest.mark.parametrize(
        ("exc", "retryable"),
        [
            (errkit.TimeoutError("t"), True),
            (errkit.TimeoutError("t", retryable=False), False),
            (errkit.ValidationError("v"), False),
            (builtins.TimeoutError("t"), True),
            (ConnectionRefusedError("c"), True),
            (ValueError("v"), False),
        ],
        ids=[
            "coded-timeout",
            "override",
            "validation",
            "builtin-timeout",
            "builtin-connection",
            "builtin-value",
        ],
    )
    def test_is_retryable(self, exc: BaseException, retryable: bool) -> None:
        """The first coded error decides; otherwise timeouts and connections retry."""
        assert errkit.is_retryable(exc) is retryable

    def test_root_cause(self) -> None:
        """root_cause follows causes to the innermost error."""
        assert type(errkit.root_cause(_chain())) is CardExpired

    def test_root_cause_of_lone_error(self) -> None:
        """An error without causes is its own root cause."""
        err = ValueError("x")
        assert errkit.root_cause(err) is err

    def test_context_of_merges_outer_wins(self) -> None:
        """context_of merges the chain's context; outer keys win."""
        outer = errkit.wrap(_chain(), "order 7", card="masked", order_id=7)
        assert errkit.context_of(outer) == {"card": "masked", "order_id": 7}


class TestWrap:
    def test_wrap_keeps_cause_and_adds_message(self) -> None:
        """wrap makes a new error with the message, the context and the cause."""
        cause = CardExpired("card expired")
        wrapped = errkit.wrap(cause, "charging order 7", order_id=7)
        assert wrapped is not None
        assert (str(wrapped), wrapped.context, wrapped.__cause__) == (
            "charging order 7",
            {"order_id": 7},
            cause,
        )

    @pytest.mark.parametrize(
        ("cause", "builtin"),
        [
            (KeyError("k"), KeyError),
            (CardExpired("x"), ValueError),
            (FileNotFoundError(2, "gone"), FileNotFoundError),
            (ZeroDivisionError(), ZeroDivisionError),
            (KeyboardInterrupt(), Exception),
        ],
        ids=["key", "coded-value", "file-not-found", "zero-division", "base-exception"],
    )
    def test_wrapper_caught_like_cause(
        self, cause: BaseException, builtin: type[BaseException]
    ) -> None:
        """The wrapper is caught by an except for the cause's builtin."""
        with pytest.raises(builtin):
            raise errkit.wrap(cause, "context") from cause  # type: ignore[misc]

    def test_wrapper_takes_inner_classification(self) -> None:
        """The wrapper has the inner coded error's category, severity, retryable."""
        inner = errkit.ExternalError("gateway down", severity="critical")
        wrapped = errkit.wrap(inner, "charging")
        assert wrapped is not None
        assert (wrapped.category, wrapped.severity, wrapped.retryable) == (
            Category.EXTERNAL,
            Severity.CRITICAL,
            True,
        )

    def test_wrap_with_own_code(self) -> None:
        """A wrapper with its own code reports it first."""
        wrapped = errkit.wrap(
            CardExpired("x"), "checkout", module="shop", code=3, category="state"
        )
        assert wrapped is not None
        assert (errkit.code_of(wrapped), wrapped.category) == ("shop:3", Category.STATE)

    def test_wrap_foreign_takes_builtin_category(self) -> None:
        """Wrapping a plain builtin gives it the builtin's category."""
        wrapped = errkit.wrap(KeyError("k"), "lookup")
        assert wrapped is not None
        assert (type(wrapped), wrapped.category) == (
            errkit.CodedKeyError,
            Category.NOT_FOUND,
        )


class TestWithContext:
    def test_coded(self) -> None:
        """with_context adds to a coded error's context and returns it."""
        err = errkit.NotFoundError("x", resource_id="7")
        assert errkit.with_context(err, operation="load") is err
        assert err.context == {"resource_id": "7", "operation": "load"}

    def test_foreign(self) -> None:
        """with_context on a plain exception is read back by context_of."""
        err = KeyError("k")
        errkit.with_context(err, operation="load", resource="order:7")
        assert errkit.context_of(err) == {"operation": "load", "resource": "order:7"}
        assert str(err) == "'k'"


class TestBarrier:
    def test_barrier_hides_inner_codes(self) -> None:
        """Below a barrier, codes and sentinels are not found."""
        inner = CardExpired("card expired")
        try:
            try:
                raise inner
            except CardExpired as e:
                raise errkit.barrier(
                    errkit.InternalError("payment failed", module="shop", code=60)
                ) from e
        except errkit.InternalError as outer:
            assert errkit.code_of(outer) == "shop:60"
            assert not errkit.has(outer, sentinels.Expired)
            assert errkit.root_cause(outer) is outer
            assert outer.__cause__ is inner

    def test_barrier_requires_coded(self) -> None:
        """Only a coded error can be a barrier."""
        with pytest.raises(TypeError) as info:
            errkit.barrier(ValueError("x"))
        assert str(info.value) == (
            "error must be a CodedError to act as a barrier, got ValueError('x')"
        )


class TestFormatLine:
    def test_coded(self) -> None:
        """``module:code: message`` for a coded chain."""
        wrapped = errkit.wrap(CardExpired("x"), "charging")
        assert wrapped is not None
        assert errkit.format_line(wrapped) == ("coretest.billing:7: charging")

    def test_uncoded(self) -> None:
        """``Type: message`` without a code."""
        assert errkit.format_line(ValueError("bad")) == "ValueError: bad"


class TestWrapStr:
    def test_key_error_wrapper_quotes_like_key_error(self) -> None:
        """A KeyError's wrapper is a KeyError, so str() quotes the message."""
        wrapped = errkit.wrap(KeyError("sku-1"), "loading order")
        assert wrapped is not None
        assert (str(wrapped), wrapped.message) == ("'loading order'", "'loading order'")
