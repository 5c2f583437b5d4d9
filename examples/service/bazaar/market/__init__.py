"""The compute market: orders for GPU hours, an order book per GPU model, matching."""

from bazaar.market.book import OrderBook
from bazaar.market.errors import (
    InsufficientFunds,
    MarketClosed,
    OrderNotFound,
    SelfTrade,
)
from bazaar.market.matching import MatchingEngine, Trade
from bazaar.market.orders import Order, Side, parse_order

__all__ = [
    "InsufficientFunds",
    "MarketClosed",
    "MatchingEngine",
    "Order",
    "OrderBook",
    "OrderNotFound",
    "SelfTrade",
    "Side",
    "Trade",
    "parse_order",
]
