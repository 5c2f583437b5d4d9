"""Errors of the provider daemon."""


class ProviderOffline(ConnectionError):
    """The market cannot be reached, or it considers this provider offline."""


class BidRejected(Exception):
    """The market refused a bid; `reason` comes from the market."""

    def __init__(self, gpu: str, reason: str) -> None:
        super().__init__(f"bid for {gpu} rejected: {reason}")
        self.gpu = gpu
        self.reason = reason


class CapacityExceeded(ValueError):
    """More GPU hours were offered than the provider has free."""
