"""One order book per GPU model, with price-time priority."""

from __future__ import annotations

import heapq
import threading

from bazaar.market.errors import MarketClosed, OrderNotFound
from bazaar.market.orders import Order, Side


class OrderBook:
    def __init__(self, gpu: str) -> None:
        self.gpu = gpu
        # Heaps of (key, sequence, order id); cancelled ids are dropped lazily.
        self._bids: list[tuple[int, float, str]] = []
        self._asks: list[tuple[int, float, str]] = []
        self._orders: dict[str, Order] = {}
        self._halted = False
        self.lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._orders)

    def halt(self) -> None:
        self._halted = True

    def resume(self) -> None:
        self._halted = False

    def add(self, order: Order) -> None:
        if self._halted:
            raise MarketClosed(f"market {self.gpu} is closed")
        if order.gpu != self.gpu:
            raise ValueError(f"order for {order.gpu} sent to the {self.gpu} book")
        with self.lock:
            self._orders[order.id] = order
            if order.side is Side.BUY:
                heapq.heappush(self._bids, (-order.price, order.created, order.id))
            else:
                heapq.heappush(self._asks, (order.price, order.created, order.id))

    def get(self, order_id: str) -> Order:
        try:
            return self._orders[order_id]
        except KeyError:
            raise OrderNotFound(f"order {order_id} not found")

    def cancel(self, order_id: str) -> Order:
        with self.lock:
            order = self.get(order_id)
            del self._orders[order_id]
            return order

    def _best(self, heap: list[tuple[int, float, str]]) -> Order | None:
        while heap:
            order = self._orders.get(heap[0][2])
            if order is not None and not order.done:
                return order
            heapq.heappop(heap)
        return None

    def best_bid(self) -> Order | None:
        with self.lock:
            return self._best(self._bids)

    def best_ask(self) -> Order | None:
        with self.lock:
            return self._best(self._asks)

    def remove_filled(self) -> list[Order]:
        with self.lock:
            filled = [o for o in self._orders.values() if o.done]
            for order in filled:
                del self._orders[order.id]
            return filled

    def depth(self) -> dict[str, int]:
        with self.lock:
            bids = sum(o.remaining for o in self._orders.values() if o.side is Side.BUY)
            asks = sum(o.remaining for o in self._orders.values() if o.side is Side.SELL)
        return {"bid_hours": bids, "ask_hours": asks}
