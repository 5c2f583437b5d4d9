"""Matching buy and sell orders, with buyer funds held in escrow.

A buy order places an escrow hold for ``hours * price`` when it enters the book.
Each trade captures ``hours * trade price`` of that hold to the seller; whatever is
left when the buy order is filled or cancelled is refunded.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from bazaar.escrow import EscrowService
from bazaar.market.book import OrderBook
from bazaar.market.errors import InsufficientFunds, OrderNotFound, SelfTrade
from bazaar.market.orders import GPU_MODELS, Order, Side
from bazaar.storage import new_id

log = logging.getLogger("bazaar.market")

HOLD_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Trade:
    buy_order: str
    sell_order: str
    buyer: str
    seller: str
    gpu: str
    hours: int
    price: int
    id: str = ""

    @property
    def amount(self) -> int:
        return self.hours * self.price


class MatchingEngine:
    def __init__(
        self,
        escrow: EscrowService,
        *,
        on_trade: Callable[[Trade], None] | None = None,
    ) -> None:
        self.escrow = escrow
        self.books = {gpu: OrderBook(gpu) for gpu in GPU_MODELS}
        self.trades: list[Trade] = []
        self._holds: dict[str, str] = {}  # buy order id -> hold id
        self._on_trade = on_trade
        self._lock = threading.Lock()

    def book(self, gpu: str) -> OrderBook:
        try:
            return self.books[gpu]
        except KeyError:
            raise LookupError(f"no market for gpu {gpu!r}")

    def submit(self, order: Order) -> list[Trade]:
        """Add an order to its book and match it; returns the trades it made."""
        book = self.book(order.gpu)
        if order.side is Side.BUY:
            self._hold_funds(order)
        try:
            book.add(order)
        except Exception:
            if order.side is Side.BUY:
                self.escrow.release(self._holds.pop(order.id))
            raise
        return self._match(book)

    def _hold_funds(self, order: Order) -> None:
        amount = order.hours * order.price
        try:
            hold = self.escrow.place_hold(
                order.account, amount, HOLD_TTL_SECONDS, reference=order.id
            )
        except Exception as e:
            if re.search(r"insufficient balance", str(e)):
                available = self.escrow.ledger.balance(order.account)
                raise InsufficientFunds(order.account, amount, available)
            raise
        self._holds[order.id] = hold.id

    def _match(self, book: OrderBook) -> list[Trade]:
        trades = []
        with book.lock:
            while True:
                bid, ask = book.best_bid(), book.best_ask()
                if bid is None or ask is None or bid.price < ask.price:
                    break
                if bid.account == ask.account:
                    raise SelfTrade(f"order {bid.id} would trade with {ask.id} of the same account")
                # The resting (older) order sets the price.
                price = ask.price if ask.created <= bid.created else bid.price
                hours = min(bid.remaining, ask.remaining)
                trade = Trade(
                    bid.id,
                    ask.id,
                    bid.account,
                    ask.account,
                    book.gpu,
                    hours,
                    price,
                    id=new_id("trd"),
                )
                self.escrow.capture(self._holds[bid.id], trade.amount, ask.account)
                bid.filled += hours
                ask.filled += hours
                trades.append(trade)
                if bid.done:
                    self._release_rest(bid)
            book.remove_filled()

        with self._lock:
            self.trades.extend(trades)
        for trade in trades:
            log.info(
                "trade %s: %d h of %s at %d",
                trade.id,
                trade.hours,
                trade.gpu,
                trade.price,
            )
            if self._on_trade is not None:
                self._on_trade(trade)
        return trades

    def _release_rest(self, order: Order) -> None:
        hold_id = self._holds.pop(order.id, None)
        if hold_id is None:
            return
        try:
            self.escrow.release(hold_id)
        except RuntimeError as e:
            # Fully captured holds are already settled: nothing left to refund.
            if "already settled" not in str(e):
                raise

    def cancel(self, gpu: str, order_id: str) -> Order:
        book = self.book(gpu)
        try:
            order = book.cancel(order_id)
        except OrderNotFound:
            raise
        except KeyError as e:
            raise OrderNotFound(str(e))
        if order.side is Side.BUY:
            self._release_rest(order)
        return order

    def find_order(self, order_id: str) -> Order:
        for book in self.books.values():
            try:
                return book.get(order_id)
            except KeyError:
                continue
        raise OrderNotFound(f"order {order_id} not found")
