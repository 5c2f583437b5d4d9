"""Ledger and escrow holds (the module already migrated to errkit)."""

from __future__ import annotations

import threading

import pytest

from bazaar.escrow import (
    EscrowService,
    HoldAlreadySettled,
    HoldExpired,
    HoldNotFound,
    InsufficientBalance,
    Ledger,
    LedgerMismatch,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def escrow(clock):
    ledger = Ledger()
    ledger.open_account("buyer", 10_000)
    ledger.open_account("seller")
    service = EscrowService(ledger, clock=clock)
    yield service
    service.close()


class TestLedger:
    def test_unknown_account_is_key_error(self):
        """balance() of an unknown account raises KeyError with the account id."""
        with pytest.raises(KeyError) as info:
            Ledger().balance("ghost")
        assert str(info.value) == "'ghost'"
        assert info.value.args == ("ghost",)

    def test_overdraw_is_refused(self):
        """transfer() beyond the balance raises InsufficientBalance with amounts."""
        ledger = Ledger()
        ledger.open_account("a", 50)
        ledger.open_account("b")
        with pytest.raises(
            InsufficientBalance, match="^insufficient balance in a: need 80, have 50$"
        ):
            ledger.transfer("a", "b", 80)
        assert (ledger.balance("a"), ledger.balance("b")) == (50, 0)

    @pytest.mark.parametrize("amount", [0, -5], ids=["zero", "negative"])
    def test_non_positive_deposit_is_value_error(self, amount):
        """deposit() of a non-positive amount raises InvalidAmount, a ValueError."""
        ledger = Ledger()
        ledger.open_account("a")
        with pytest.raises(ValueError, match=f"^amount must be positive, got {amount}$"):
            ledger.deposit("a", amount)

    def test_reconcile_detects_lost_money(self):
        """reconcile() raises LedgerMismatch when balances do not add up."""
        ledger = Ledger()
        ledger.open_account("a", 100)
        assert ledger.reconcile() == 100
        ledger._balances["a"] -= 1  # simulate a lost write
        with pytest.raises(LedgerMismatch, match="^ledger total 99 != deposits 100$"):
            ledger.reconcile()


class TestHolds:
    def test_capture_pays_the_seller(self, escrow):
        """A full capture moves the money and settles the hold."""
        hold = escrow.place_hold("buyer", 3_000, ttl=60)
        assert escrow.ledger.balance("buyer") == 7_000
        escrow.capture(hold.id, 3_000, "seller")
        assert escrow.ledger.balance("seller") == 3_000
        assert escrow.get_hold(hold.id).state.value == "settled"

    def test_unknown_hold_is_lookup_error(self, escrow):
        """get_hold() of an unknown id raises HoldNotFound, a LookupError."""
        with pytest.raises(LookupError, match="^hold hold-x not found$") as info:
            escrow.get_hold("hold-x")
        assert isinstance(info.value, HoldNotFound)

    def test_expired_hold_cannot_be_captured(self, escrow, clock):
        """Capturing after the expiry raises HoldExpired, a RuntimeError."""
        hold = escrow.place_hold("buyer", 100, ttl=5)
        clock.now += 10
        with pytest.raises(RuntimeError, match=f"^hold {hold.id} has expired$") as info:
            escrow.capture(hold.id, 100, "seller")
        assert isinstance(info.value, HoldExpired)

    def test_release_twice_is_refused(self, escrow):
        """A released hold cannot be released again: HoldAlreadySettled."""
        hold = escrow.place_hold("buyer", 400, ttl=60)
        assert escrow.release(hold.id) == 400
        with pytest.raises(HoldAlreadySettled, match="is already released$"):
            escrow.release(hold.id)
        assert escrow.ledger.balance("buyer") == 10_000

    def test_over_capture_is_value_error(self, escrow):
        """Capturing more than remains raises InvalidAmount with both figures."""
        hold = escrow.place_hold("buyer", 100, ttl=60)
        with pytest.raises(
            ValueError, match=f"^capture of 150 from hold {hold.id} with 100 remaining$"
        ):
            escrow.capture(hold.id, 150, "seller")

    def test_settle_async_result_and_failure(self, escrow, clock):
        """settle_async() futures return the hold, or raise the capture's error."""
        good = escrow.place_hold("buyer", 100, ttl=60)
        assert escrow.settle_async(good.id, "seller").result(timeout=2).captured == 100
        late = escrow.place_hold("buyer", 100, ttl=5)
        clock.now += 10
        future = escrow.settle_async(late.id, "seller")
        with pytest.raises(RuntimeError, match="has expired$"):
            future.result(timeout=2)

    def test_failing_listener_does_not_block_others(self, escrow):
        """One raising listener is skipped; the next listener still runs."""
        heard = threading.Event()

        def broken(hold):
            raise ValueError("listener bug")

        escrow.add_listener(broken)
        escrow.add_listener(lambda hold: heard.set())
        hold = escrow.place_hold("buyer", 10, ttl=60)
        escrow.release(hold.id)
        assert heard.wait(2)

    def test_reaper_refunds_expired_holds(self, escrow, clock):
        """The reaper thread refunds holds past their expiry."""
        hold = escrow.place_hold("buyer", 500, ttl=1)
        clock.now += 2
        escrow.start_reaper(interval=0.005)
        for _ in range(400):
            if escrow.get_hold(hold.id).state.value == "expired":
                break
            threading.Event().wait(0.005)
        assert escrow.get_hold(hold.id).state.value == "expired"
        assert escrow.ledger.balance("buyer") == 10_000

    def test_closed_service_refuses_holds(self, escrow):
        """place_hold() after close() raises RuntimeError."""
        escrow.close()
        with pytest.raises(RuntimeError, match="^escrow service is closed$"):
            escrow.place_hold("buyer", 1, ttl=1)
