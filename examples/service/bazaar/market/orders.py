"""Orders: a side, a GPU model, a quantity of GPU hours and a limit price."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import Any

import errkit

from bazaar.storage import new_id

GPU_MODELS = ("a100", "h100", "l4", "t4")
MAX_HOURS = 10_000


class Side(enum.Enum):
    BUY = "buy"
    SELL = "sell"


@dataclass
class Order:
    account: str
    side: Side
    gpu: str
    hours: int
    price: int  # cents per GPU hour
    id: str = field(default_factory=lambda: new_id("ord"))
    filled: int = 0
    created: float = field(default_factory=time.monotonic)

    @property
    def remaining(self) -> int:
        return self.hours - self.filled

    @property
    def done(self) -> bool:
        return self.filled >= self.hours

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "account": self.account,
            "side": self.side.value,
            "gpu": self.gpu,
            "hours": self.hours,
            "price": self.price,
            "filled": self.filled,
        }


def parse_order(data: dict[str, Any]) -> Order:
    """Validate the JSON body of ``POST /orders``."""
    try:
        side = Side(data["side"])
    except KeyError:
        raise ValueError("side is required")
    except ValueError:
        raise ValueError(f"unknown side {data['side']!r}")

    gpu = str(data.get("gpu", "")).lower()
    if gpu not in GPU_MODELS:
        raise ValueError(f"unknown gpu model {gpu!r}")

    try:
        hours = int(data["hours"])
        price = int(data["price"])
    except KeyError as e:
        raise ValueError(f"{e.args[0]} is required")
    except (TypeError, ValueError) as e:
        raise ValueError(f"hours and price must be integers: {e}")

    if hours <= 0:
        raise errkit.ValidationError("quantity must be positive", module="market", code=401)
    if hours > MAX_HOURS:
        raise ValueError(f"quantity must be at most {MAX_HOURS} hours, got {hours}")
    if price <= 0:
        raise ValueError(f"price must be positive, got {price}")

    account = data.get("account")
    if not account:
        raise ValueError("account is required")
    return Order(account=account, side=side, gpu=gpu, hours=hours, price=price)
