"""Pickling coded errors (BR-09): every protocol, user subclasses, process pools."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import errkit

PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))


class QuotaExceeded(errkit.RateLimitError, module="coretest.billing", code=80):
    """BR-09's class: a required extra parameter beside the message."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class TenantLocked(errkit.StateError, module="coretest.tenants", code=40):
    """A keyword-only parameter, stored as a plain attribute."""

    def __init__(self, tenant: str, *, since: str) -> None:
        super().__init__(f"tenant {tenant} locked since {since}")
        self.tenant = tenant
        self.since = since


class Denied(errkit.UnauthorizedError, module="coretest.auth", code=30):
    """An OSError-based kind with its own required parameter."""

    def __init__(self, user: str) -> None:
        super().__init__(f"{user} may not refund")
        self.user = user


class Unpicklable(Exception):
    """BR-09's failure mode in a foreign cause: pickles, cannot unpickle."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


def _br09_error() -> errkit.NotFoundError:
    err = errkit.NotFoundError(
        "order missing", module="orders", code=404, context={"order_id": 7}
    )
    err.__cause__ = KeyError(7)
    return err


def _same(back: BaseException, err: BaseException) -> None:
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert back.args == err.args
    if isinstance(err, errkit.CodedError):
        assert isinstance(back, errkit.CodedError)
        assert (
            back.module,
            back.code,
            back.category,
            back.severity,
            back.retryable,
            back.context,
        ) == (
            err.module,
            err.code,
            err.category,
            err.severity,
            err.retryable,
            err.context,
        )


def _raise_in_child(kind: str) -> None:
    """Runs in a worker process: raise one of the errors, with a cause."""
    try:
        raise Unpicklable("backend said no", 3)
    except Unpicklable as cause:
        if kind == "quota":
            raise QuotaExceeded("quota exceeded", 10) from cause
        if kind == "locked":
            raise TenantLocked("acme", since="monday") from cause
        raise errkit.CodedKeyError("sku-1", module="catalog", code=11) from cause


class TestRoundTrip:
    @pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: f"p{p}")
    def test_br09_not_found(self, protocol: int) -> None:
        """BR-09: type, message, code, module, context, LookupError-ness and the
        cause (type and message) survive every protocol."""
        err = _br09_error()
        back = pickle.loads(pickle.dumps(err, protocol))
        _same(back, err)
        assert back.context == {"order_id": 7}
        assert isinstance(back, LookupError)
        assert (type(back.__cause__), str(back.__cause__)) == (KeyError, "7")

    @pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: f"p{p}")
    def test_required_init_parameter(self, protocol: int) -> None:
        """A subclass with a required extra __init__ parameter round-trips."""
        err = QuotaExceeded("quota exceeded", limit=10)
        back = pickle.loads(pickle.dumps(err, protocol))
        _same(back, err)
        assert back.limit == 10

    @pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: f"p{p}")
    def test_keyword_only_init_parameter(self, protocol: int) -> None:
        """A subclass with keyword-only __init__ parameters round-trips."""
        err = TenantLocked("acme", since="monday")
        back = pickle.loads(pickle.dumps(err, protocol))
        _same(back, err)
        assert (back.tenant, back.since) == ("acme", "monday")

    @pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: f"p{p}")
    def test_oserror_based_subclass(self, protocol: int) -> None:
        """An OSError-based subclass with its own parameter round-trips."""
        err = Denied("bob")
        back = pickle.loads(pickle.dumps(err, protocol))
        _same(back, err)
        assert back.user == "bob"

    @pytest.mark.parametrize(
        "err",
        [
            errkit.ValidationError(
                "bad qty", module="m", code=1, field="qty", value=-1, safe=["value"]
            ),
            errkit.CodedKeyError("sku-1", module="catalog", code=11),
            errkit.CodedFileNotFoundError(2, "No such file", "a.txt"),
            errkit.coded(KeyError, "conflict")("k", module="m", code=2),
            errkit.TimeoutError(
                "slow",
                operation="charge",
                duration=5.0,
                retryable=False,
                severity="critical",
            ),
            errkit.CodedError("boom", category="external"),
        ],
        ids=[
            "validation",
            "coded-key",
            "file-not-found",
            "coded-with-category",
            "timeout-overrides",
            "adhoc-category",
        ],
    )
    @pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: f"p{p}")
    def test_every_kind(self, err: errkit.CodedError, protocol: int) -> None:
        """Builtin-based and coded() types keep every attribute."""
        back = pickle.loads(pickle.dumps(err, protocol))
        _same(back, err)
        assert back.safe_keys == err.safe_keys

    def test_oserror_filename_kept(self) -> None:
        """OSError's filename, kept outside args, survives."""
        err = errkit.CodedFileNotFoundError(2, "No such file", "a.txt")
        assert pickle.loads(pickle.dumps(err)).filename == "a.txt"

    def test_unpicklable_cause_becomes_snapshot(self) -> None:
        """A cause that cannot be unpickled arrives as a snapshot with its type
        name, message and traceback text."""
        err = QuotaExceeded("quota exceeded", 10)
        try:
            raise Unpicklable("backend said no", 3)
        except Unpicklable as cause:
            err.__cause__ = cause
        back = pickle.loads(pickle.dumps(err))
        snap = back.__cause__
        assert isinstance(snap, errkit.CauseSnapshot)
        assert (snap.type_name, str(snap)) == (
            f"{__name__}.Unpicklable",
            "backend said no",
        )
        assert snap.traceback_text.endswith(
            f"{__name__}.Unpicklable: backend said no\n"
        )

    def test_chain_of_foreign_causes_kept(self) -> None:
        """A foreign cause's own cause survives (default pickling drops it)."""
        inner = ValueError("inner")
        middle = KeyError("middle")
        middle.__cause__ = inner
        err = errkit.InternalError("outer")
        err.__cause__ = middle
        back = pickle.loads(pickle.dumps(err))
        assert [(type(e).__name__, str(e)) for e in errkit.walk(back)] == [
            ("InternalError", "outer"),
            ("KeyError", "'middle'"),
            ("ValueError", "inner"),
        ]

    def test_cycle_survives(self) -> None:
        """``raise e from e`` on a coded error pickles and keeps the self-loop."""
        err = errkit.InternalError("loop")
        err.__cause__ = err
        back = pickle.loads(pickle.dumps(err))
        assert back.__cause__ is back

    def test_barrier_kept(self) -> None:
        """A barrier stays a barrier after pickling."""
        err = errkit.barrier(errkit.InternalError("charge failed"))
        err.__cause__ = errkit.NotFoundError("card", module="pay", code=10)
        back = pickle.loads(pickle.dumps(err))
        assert errkit.code_of(back) is None
        assert errkit.is_barrier(back)


class TestProcessPool:
    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (
                "quota",
                (QuotaExceeded, "quota exceeded", "coretest.billing:80", {"limit": 10}),
            ),
            (
                "locked",
                (
                    TenantLocked,
                    "tenant acme locked since monday",
                    "coretest.tenants:40",
                    {},
                ),
            ),
            ("key", (errkit.CodedKeyError, "'sku-1'", "catalog:11", {})),
        ],
        ids=["required-param", "keyword-only", "coded-key"],
    )
    def test_error_crosses_process_pool(
        self, kind: str, expected: tuple[type, str, str, dict[str, Any]]
    ) -> None:
        """A worker's error arrives with type, message, code, context and the
        cause's type name and message (under the pool's remote traceback)."""
        with ProcessPoolExecutor(max_workers=1) as pool:
            future = pool.submit(_raise_in_child, kind)
            exc = future.exception(timeout=60)
        assert exc is not None
        assert (type(exc), str(exc), errkit.code_of(exc), dict(exc.context)) == expected
        assert exc.category is expected[0].category
        remote = exc.__cause__
        assert type(remote).__name__ == "_RemoteTraceback"
        cause = remote.__cause__  # type: ignore[union-attr]
        assert isinstance(cause, errkit.CauseSnapshot)
        assert errkit.find(exc, errkit.CauseSnapshot) is cause
        assert (cause.type_name, str(cause)) == (
            f"{__name__}.Unpicklable",
            "backend said no",
        )


class Unhashable(Exception):
    """Defining __eq__ makes it unhashable."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable)


class TestCyclicChains:
    def test_regrouped_member(self) -> None:
        """BR-11's regroup cycle pickles: the member's context is the group that
        holds the same member again."""
        try:
            try:
                raise ExceptionGroup(
                    "batch", [errkit.ValidationError("item 3", module="m", code=1)]
                )
            except ExceptionGroup as eg:
                raise eg.exceptions[0]  # its implicit context is the group: the cycle
        except errkit.ValidationError as caught:
            back = pickle.loads(pickle.dumps(caught))
        group = back.__context__
        assert isinstance(group, ExceptionGroup)
        assert group.exceptions[0] is back

    def test_foreign_two_cycle_below_coded(self) -> None:
        """A cycle of foreign, unhashable errors under a coded one pickles; the
        back-edge is dropped and every error arrives once."""
        a, b = Unhashable("a"), ValueError("b")
        a.__context__, b.__context__ = b, a
        top = errkit.InternalError("top")
        top.__cause__ = a
        back = pickle.loads(pickle.dumps(top))
        assert [f"{type(e).__name__}:{e}" for e in errkit.walk(back)] == [
            "InternalError:top",
            "Unhashable:a",
            "ValueError:b",
        ]
