"""The provider daemon: offers a provider's GPUs to the market and reports usage."""

from bazaar.provider.capacity import Capacity
from bazaar.provider.daemon import ProviderDaemon
from bazaar.provider.errors import BidRejected, CapacityExceeded, ProviderOffline
from bazaar.provider.workers import UsageRecord, UsageReporter

__all__ = [
    "BidRejected",
    "Capacity",
    "CapacityExceeded",
    "ProviderDaemon",
    "ProviderOffline",
    "UsageRecord",
    "UsageReporter",
]
