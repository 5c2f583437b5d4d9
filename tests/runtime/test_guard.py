"""The guard boundary: unexpected exceptions become InternalError with their cause."""

from __future__ import annotations

import pytest

import errkit


class Overdrawn(errkit.StateError, module="bank.accounts", code=340):
    """The account cannot go below zero."""


class TestGuard:
    """`guard` codes unexpected exceptions and lets the rest through."""

    def test_unexpected_becomes_internal_error(self):
        """A KeyError leaves as InternalError, the original kept as the cause."""
        original = KeyError("sku-1")
        with (
            pytest.raises(errkit.InternalError) as info,
            errkit.guard(context="inventory:reserve"),
        ):
            raise original
        err = info.value
        assert err.__cause__ is original
        assert str(err) == "unexpected KeyError in inventory:reserve"
        assert err.context == {"operation": "inventory:reserve"}
        assert isinstance(err, RuntimeError)

    def test_message_does_not_leak_the_original(self):
        """The original message (maybe a secret) is only on the cause."""
        with (
            pytest.raises(errkit.InternalError) as info,
            errkit.guard(context="db:connect"),
        ):
            raise ConnectionError("postgresql://app:hunter2@127.0.0.1/db")
        assert "hunter2" not in str(info.value)
        assert "hunter2" in str(info.value.__cause__)

    def test_coded_errors_pass_unchanged(self):
        """A coded error is already expected: the same object comes out."""
        err = Overdrawn("balance would be -5")
        with pytest.raises(Overdrawn) as info, errkit.guard(context="bank:withdraw"):
            raise err
        assert info.value is err

    def test_group_of_coded_errors_passes(self):
        """A group made only of coded errors passes; a mixed one is coded."""
        coded = ExceptionGroup("g", [Overdrawn("a")])
        with pytest.raises(ExceptionGroup) as info, errkit.guard(context="bank:batch"):
            raise coded
        assert info.value is coded
        with pytest.raises(errkit.InternalError), errkit.guard(context="bank:batch"):
            raise ExceptionGroup("g", [Overdrawn("a"), ValueError("b")])

    @pytest.mark.parametrize(
        "exc",
        [KeyboardInterrupt(), SystemExit(1)],
        ids=["KeyboardInterrupt", "SystemExit"],
    )
    def test_control_flow_passes(self, exc):
        """Control flow is never converted."""
        with pytest.raises(type(exc)), errkit.guard(context="m:op"):
            raise exc

    def test_guard_does_not_record(self, metrics_registry, errkit_log):
        """The guard only converts; whoever catches the InternalError records it."""
        with pytest.raises(errkit.InternalError), errkit.guard(context="m:op"):
            raise ValueError("x")
        assert metrics_registry.total("errors_total") == 0.0
        assert errkit_log.records == []

    def test_as_decorator(self):
        """`@guard(context=...)` guards every call of the function."""

        @errkit.guard(context="m:decorated")
        def parse(text: str) -> int:
            return int(text)

        assert parse("7") == 7
        with pytest.raises(errkit.InternalError) as info:
            parse("seven")
        assert type(info.value.__cause__) is ValueError


class TestCallGuarded:
    """`call_guarded` is guard around one call."""

    def test_result_and_conversion(self):
        """The result comes back; a failure comes back coded."""
        assert errkit.call_guarded(divmod, 7, 2, context="m:div") == (3, 1)
        with pytest.raises(errkit.InternalError) as info:
            errkit.call_guarded(divmod, 7, 0, context="m:div")
        assert str(info.value) == "unexpected ZeroDivisionError in m:div"
