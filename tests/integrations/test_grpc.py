"""Tests for errkit.integrations.grpc against a real gRPC server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import pytest

from errkit.integrations.grpc import (
    CODE_KEY,
    CORRELATION_KEY,
    PROBLEM_KEY,
    AsyncProblemInterceptor,
    ProblemInterceptor,
    coded_errors,
    restore_error,
)
from errkit.runtime.problem import GENERIC_DETAIL
from integrations.conftest import Counts
from integrations.errors import (
    CASE_IDS,
    CASES,
    CYCLES,
    DSN,
    Case,
    LedgerCorrupt,
    OutOfStock,
    fixed_mapper,
)

SERVICE = "warehouse.Stock"


def out_of_stock() -> BaseException:
    """The conflict most tests raise."""
    return OutOfStock("only 2 left")


RESERVE = f"/{SERVICE}/Reserve"


class Behaviour:
    """What the server's methods raise; tests set ``fail`` before calling."""

    fail: Callable[[], BaseException] = staticmethod(lambda: RuntimeError("unset"))

    def reserve(self, request: bytes, context: Any) -> bytes:
        raise self.fail()

    def watch(self, request: bytes, context: Any) -> Iterator[bytes]:
        yield b"first"
        raise self.fail()

    def collect(self, requests: Iterator[bytes], context: Any) -> bytes:
        for _ in requests:
            pass
        raise self.fail()

    def own_abort(self, request: bytes, context: Any) -> bytes:
        context.abort(grpc.StatusCode.NOT_FOUND, "the method's own status")
        raise AssertionError("abort returns only by raising")

    def echo(self, request: bytes, context: Any) -> bytes:
        return request


@pytest.fixture(name="server", scope="module")
def fixture_server() -> Iterator[tuple[Behaviour, grpc.Channel]]:
    """One server for the module, on a free loopback port, stopped at the end."""
    behaviour = Behaviour()
    handler = grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "Reserve": grpc.unary_unary_rpc_method_handler(behaviour.reserve),
            "Watch": grpc.unary_stream_rpc_method_handler(behaviour.watch),
            "Collect": grpc.stream_unary_rpc_method_handler(behaviour.collect),
            "OwnAbort": grpc.unary_unary_rpc_method_handler(behaviour.own_abort),
            "Echo": grpc.unary_unary_rpc_method_handler(behaviour.echo),
        },
    )
    server = grpc.server(
        ThreadPoolExecutor(max_workers=2),
        interceptors=[ProblemInterceptor(mapper=fixed_mapper())],
    )
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    yield behaviour, channel
    channel.close()
    server.stop(grace=None).wait()


def call(
    server: tuple[Behaviour, grpc.Channel], fail: Callable[[], BaseException]
) -> grpc.RpcError:
    """Call Reserve with the server raising what ``fail`` makes; the client's error."""
    behaviour, channel = server
    behaviour.fail = staticmethod(fail)  # type: ignore[method-assign]
    with pytest.raises(grpc.RpcError) as info:
        channel.unary_unary(RESERVE)(b"order-7", timeout=10)
    return info.value


def trailing(error: grpc.RpcError) -> dict[str, Any]:
    return dict(error.trailing_metadata())  # type: ignore[attr-defined]


class TestStatusCodes:
    @pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
    def test_status_details_and_metadata(
        self, server: tuple[Behaviour, grpc.Channel], case: Case
    ) -> None:
        """Each category maps to its status code; the problem rides in the trailers."""
        error = call(server, case.make)
        assert error.code().name == case.grpc_status  # type: ignore[attr-defined]
        assert error.details() == case.body["detail"]  # type: ignore[attr-defined]
        metadata = trailing(error)
        assert json.loads(metadata[PROBLEM_KEY]) == {**case.body, "instance": RESERVE}
        assert metadata.get(CODE_KEY) == case.body.get("code")

    def test_streaming_response(self, server: tuple[Behaviour, grpc.Channel]) -> None:
        """A server-streaming method that fails midway ends with the mapped status."""
        behaviour, channel = server
        behaviour.fail = staticmethod(out_of_stock)  # type: ignore[method-assign]
        stream = channel.unary_stream(f"/{SERVICE}/Watch")(b"", timeout=10)
        assert next(stream) == b"first"
        with pytest.raises(grpc.RpcError) as info:
            next(stream)
        assert info.value.code() == grpc.StatusCode.ABORTED

    def test_streaming_request(self, server: tuple[Behaviour, grpc.Channel]) -> None:
        """A client-streaming method is mapped too."""
        behaviour, channel = server
        behaviour.fail = staticmethod(out_of_stock)  # type: ignore[method-assign]
        with pytest.raises(grpc.RpcError) as info:
            channel.stream_unary(f"/{SERVICE}/Collect")(iter([b"a", b"b"]), timeout=10)
        assert trailing(info.value)[CODE_KEY] == "warehouse:120"

    def test_own_abort_kept(self, server: tuple[Behaviour, grpc.Channel]) -> None:
        """A method that aborts with its own status keeps it."""
        _, channel = server
        with pytest.raises(grpc.RpcError) as info:
            channel.unary_unary(f"/{SERVICE}/OwnAbort")(b"", timeout=10)
        assert (info.value.code(), info.value.details()) == (
            grpc.StatusCode.NOT_FOUND,
            "the method's own status",
        )
        assert PROBLEM_KEY not in trailing(info.value)

    def test_failure_counted(
        self, server: tuple[Behaviour, grpc.Channel], counts: Counts
    ) -> None:
        """Each failed call is counted once in errkit's error counter."""
        call(server, out_of_stock)
        call(server, out_of_stock)
        assert counts("warehouse:120", "conflict", "warning") == 2.0

    def test_success_untouched(self, server: tuple[Behaviour, grpc.Channel]) -> None:
        """A method that succeeds answers as before."""
        _, channel = server
        assert channel.unary_unary(f"/{SERVICE}/Echo")(b"ping", timeout=10) == b"ping"

    def test_unknown_override_rejected(self) -> None:
        """An override naming no grpc.StatusCode is refused with the key and value."""
        with pytest.raises(ValueError) as info:
            ProblemInterceptor(status_by_category={"conflict": "CONFLICT"})
        assert str(info.value) == (
            "status_by_category['conflict'] must name a grpc.StatusCode, got 'CONFLICT'"
        )


class TestRedactionAndCorrelation:
    def test_password_never_sent(
        self, server: tuple[Behaviour, grpc.Channel], caplog: pytest.LogCaptureFixture
    ) -> None:
        """An internal error's DSN stays in the log, which shares the id."""
        with caplog.at_level(logging.INFO, logger="errkit.http"):
            error = call(server, lambda: LedgerCorrupt(f"ledger unreadable via {DSN}"))
        metadata = trailing(error)
        everything = error.details() + repr(metadata)  # type: ignore[attr-defined]
        assert "s3cr3t" not in everything and "postgresql" not in everything
        assert error.details() == GENERIC_DETAIL  # type: ignore[attr-defined]
        [record] = [r for r in caplog.records if r.name == "errkit.http"]
        assert record.correlation_id == metadata[CORRELATION_KEY]
        assert record.grpc_method == RESERVE  # type: ignore[attr-defined]
        assert record.exc_info is not None and DSN in str(record.exc_info[1])

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cyclic_chain_gets_internal(
        self, server: tuple[Behaviour, grpc.Channel], name: str
    ) -> None:
        """BR-11: a method that raised a cyclic chain still ends with INTERNAL."""

        def fail() -> BaseException:
            try:
                CYCLES[name]()
            except BaseException as exc:  # noqa: BLE001
                return exc
            raise AssertionError

        assert call(server, fail).code() == grpc.StatusCode.INTERNAL


class TestClientRoundTrip:
    def test_restore_error(self, server: tuple[Behaviour, grpc.Channel]) -> None:
        """The client gets the raised class, its safe fields, the RpcError as cause."""
        error = call(server, lambda: OutOfStock("only 2 left", context={"sku": "A-1"}))
        restored = restore_error(error)
        assert isinstance(restored, OutOfStock)
        assert (restored.code_str, str(restored), restored.context["sku"]) == (
            "warehouse:120",
            "only 2 left",
            "A-1",
        )
        assert restored.__cause__ is error

    def test_coded_errors_context_manager(
        self, server: tuple[Behaviour, grpc.Channel]
    ) -> None:
        """Inside coded_errors() a failed call raises the coded error itself."""
        behaviour, channel = server
        behaviour.fail = staticmethod(out_of_stock)  # type: ignore[method-assign]
        with pytest.raises(OutOfStock) as info, coded_errors():
            channel.unary_unary(RESERVE)(b"", timeout=10)
        assert isinstance(info.value.__cause__, grpc.RpcError)

    def test_foreign_error_unchanged(self) -> None:
        """An RpcError without errkit trailers is returned as it is."""

        class Foreign(grpc.RpcError):
            def trailing_metadata(self) -> tuple[tuple[str, str], ...]:
                return (("other", "x"),)

        error = Foreign()
        assert restore_error(error) is error


class TestAsyncServer:
    """The same mapping on a grpc.aio server, started on a loopback port."""

    @staticmethod
    async def serve_and_call(
        calls: Callable[[grpc.aio.Channel], Any],
    ) -> Any:
        async def reserve(request: bytes, context: Any) -> bytes:
            raise OutOfStock("only 2 left", context={"sku": "A-1"})

        async def watch(request: bytes, context: Any) -> Any:
            yield b"first"
            raise LedgerCorrupt(f"ledger unreadable via {DSN}")

        async def own_abort(request: bytes, context: Any) -> bytes:
            await context.abort(grpc.StatusCode.NOT_FOUND, "the method's own status")
            raise AssertionError("abort returns only by raising")

        handler = grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "Reserve": grpc.unary_unary_rpc_method_handler(reserve),
                "Watch": grpc.unary_stream_rpc_method_handler(watch),
                "OwnAbort": grpc.unary_unary_rpc_method_handler(own_abort),
            },
        )
        server = grpc.aio.server(
            interceptors=[AsyncProblemInterceptor(mapper=fixed_mapper())]
        )
        server.add_generic_rpc_handlers((handler,))
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
                return await calls(channel)
        finally:
            await server.stop(None)

    def test_unary_round_trip(self) -> None:
        """A coded error from a coroutine method comes back as that class."""

        async def calls(channel: grpc.aio.Channel) -> grpc.aio.AioRpcError:
            try:
                await channel.unary_unary(RESERVE)(b"", timeout=10)
            except grpc.aio.AioRpcError as exc:
                return exc
            raise AssertionError("the call succeeded")

        error = asyncio.run(self.serve_and_call(calls))
        assert error.code() == grpc.StatusCode.ABORTED
        restored = restore_error(error)
        assert isinstance(restored, OutOfStock)
        assert (str(restored), restored.context["sku"]) == ("only 2 left", "A-1")

    def test_stream_redacted(self) -> None:
        """An async-generator method failing midway ends INTERNAL, redacted."""

        async def calls(channel: grpc.aio.Channel) -> tuple[list[bytes], Any]:
            received: list[bytes] = []
            try:
                async for message in channel.unary_stream(f"/{SERVICE}/Watch")(
                    b"", timeout=10
                ):
                    received.append(message)
            except grpc.aio.AioRpcError as exc:
                return received, exc
            raise AssertionError("the call succeeded")

        received, error = asyncio.run(self.serve_and_call(calls))
        assert received == [b"first"]
        assert (error.code(), error.details()) == (
            grpc.StatusCode.INTERNAL,
            GENERIC_DETAIL,
        )
        assert "s3cr3t" not in repr(dict(error.trailing_metadata()))

    def test_own_abort_kept(self) -> None:
        """A coroutine method's own abort keeps its status."""

        async def calls(channel: grpc.aio.Channel) -> grpc.aio.AioRpcError:
            try:
                await channel.unary_unary(f"/{SERVICE}/OwnAbort")(b"", timeout=10)
            except grpc.aio.AioRpcError as exc:
                return exc
            raise AssertionError("the call succeeded")

        error = asyncio.run(self.serve_and_call(calls))
        assert (error.code(), error.details()) == (
            grpc.StatusCode.NOT_FOUND,
            "the method's own status",
        )
