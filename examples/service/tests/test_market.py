"""Order parsing, the order book, and matching with escrow (partly migrated)."""

from __future__ import annotations

import pytest

from bazaar.escrow import EscrowService, Ledger
from bazaar.market import (
    InsufficientFunds,
    MarketClosed,
    MatchingEngine,
    Order,
    OrderNotFound,
    SelfTrade,
    Side,
    parse_order,
)


def order_data(**overrides):
    data = {"account": "buyer", "side": "buy", "gpu": "h100", "hours": 10, "price": 200}
    data.update(overrides)
    return data


@pytest.fixture
def engine():
    ledger = Ledger()
    ledger.open_account("buyer", 10_000)
    ledger.open_account("seller")
    escrow = EscrowService(ledger)
    trades = []
    yield MatchingEngine(escrow, on_trade=trades.append)
    escrow.close()


def sell(hours=10, price=150, account="seller"):
    return Order(account=account, side=Side.SELL, gpu="h100", hours=hours, price=price)


def buy(hours=10, price=200, account="buyer"):
    return Order(account=account, side=Side.BUY, gpu="h100", hours=hours, price=price)


class TestParseOrder:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"side": "hold"}, "unknown side 'hold'"),
            ({"gpu": "v100"}, "unknown gpu model 'v100'"),
            ({"hours": 0}, "quantity must be positive"),
            ({"hours": 20_000}, "quantity must be at most 10000 hours, got 20000"),
            (
                {"price": "cheap"},
                "hours and price must be integers: invalid literal for int() with base 10: 'cheap'",
            ),
            ({"account": ""}, "account is required"),
        ],
        ids=["side", "gpu", "zero-hours", "too-many-hours", "price-type", "account"],
    )
    def test_invalid_orders_are_value_errors(self, overrides, message):
        """Every validation failure is a ValueError with an exact message."""
        with pytest.raises(ValueError) as info:
            parse_order(order_data(**overrides))
        assert str(info.value) == message

    def test_missing_side_and_price(self):
        """Missing required fields are named in the ValueError."""
        data = order_data()
        del data["side"]
        with pytest.raises(ValueError, match="^side is required$"):
            parse_order(data)
        data = order_data()
        del data["price"]
        with pytest.raises(ValueError, match="^price is required$"):
            parse_order(data)


class TestMatching:
    def test_crossing_orders_trade_at_resting_price(self, engine):
        """A buy crossing a resting sell trades at the sell price and refunds the rest."""
        engine.submit(sell())
        trades = engine.submit(buy())
        assert [(t.hours, t.price) for t in trades] == [(10, 150)]
        ledger = engine.escrow.ledger
        assert ledger.balance("seller") == 1_500
        assert ledger.balance("buyer") == 8_500

    def test_exact_fill_settles_hold(self, engine):
        """A buy filled at its own limit price leaves nothing to refund."""
        engine.submit(sell(price=200))
        order = buy(price=200)
        trades = engine.submit(order)
        assert [t.amount for t in trades] == [2_000]
        assert engine.escrow.ledger.balance("buyer") == 8_000
        assert engine.escrow.ledger.balance("seller") == 2_000

    def test_insufficient_funds(self, engine):
        """A buy larger than the balance raises InsufficientFunds with figures."""
        with pytest.raises(InsufficientFunds) as info:
            engine.submit(buy(hours=100, price=200))
        assert str(info.value) == "insufficient funds in buyer: need 20000, have 10000"
        assert info.value.needed == 20_000

    def test_halted_market_refunds_hold(self, engine):
        """A halted book raises MarketClosed (a RuntimeError); the hold is refunded."""
        engine.book("h100").halt()
        with pytest.raises(RuntimeError, match="^market h100 is closed$") as info:
            engine.submit(buy())
        assert isinstance(info.value, MarketClosed)
        assert engine.escrow.ledger.balance("buyer") == 10_000

    def test_self_trade_is_value_error(self, engine):
        """An order crossing one of the same account raises SelfTrade."""
        engine.escrow.ledger.open_account("both", 5_000)
        engine.submit(sell(account="both"))
        with pytest.raises(ValueError, match="of the same account$") as info:
            engine.submit(buy(account="both"))
        assert isinstance(info.value, SelfTrade)

    def test_unknown_order_is_key_error(self, engine):
        """Cancelling or finding an unknown order raises OrderNotFound, a KeyError."""
        with pytest.raises(KeyError) as info:
            engine.cancel("h100", "ord-missing")
        assert isinstance(info.value, OrderNotFound)
        assert str(info.value) == "'order ord-missing not found'"
        with pytest.raises(LookupError, match="order ord-missing not found"):
            engine.find_order("ord-missing")

    def test_unknown_gpu_is_lookup_error(self, engine):
        """book() of an unknown GPU raises LookupError."""
        with pytest.raises(LookupError, match="^no market for gpu 'v100'$"):
            engine.book("v100")

    def test_cancel_refunds_buy(self, engine):
        """Cancelling a resting buy releases its hold."""
        order = buy()
        engine.submit(order)
        assert engine.escrow.ledger.balance("buyer") == 8_000
        engine.cancel("h100", order.id)
        assert engine.escrow.ledger.balance("buyer") == 10_000

    def test_partial_fill_keeps_rest_on_book(self, engine):
        """A partly filled buy stays on the book with the remaining hours."""
        engine.submit(sell(hours=4))
        order = buy(hours=10)
        engine.submit(order)
        assert engine.find_order(order.id).remaining == 6
        assert engine.book("h100").depth() == {"bid_hours": 6, "ask_hours": 0}
