"""Wiring: builds every part of the service and connects them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bazaar.escrow import EscrowService, Ledger
from bazaar.identity import IdentityVerifier
from bazaar.market import MatchingEngine, Trade
from bazaar.mfa import MFAService
from bazaar.notifications import MemoryChannel, Notifier


@dataclass
class Services:
    ledger: Ledger
    escrow: EscrowService
    market: MatchingEngine
    identity: IdentityVerifier
    mfa: MFAService
    notifier: Notifier

    def close(self) -> None:
        self.notifier.stop()
        self.escrow.close()
        self.identity.close()


def build_services(
    *,
    sanctioned_names: Iterable[str] = (),
    channels: Iterable[MemoryChannel] | None = None,
    start_background: bool = True,
) -> Services:
    ledger = Ledger()
    escrow = EscrowService(ledger)
    notifier = Notifier(channels or [MemoryChannel("email"), MemoryChannel("webhook")])

    def announce(trade: Trade) -> None:
        notifier.notify("webhook", trade.seller, f"sold {trade.hours} h of {trade.gpu}")

    market = MatchingEngine(escrow, on_trade=announce)
    services = Services(
        ledger=ledger,
        escrow=escrow,
        market=market,
        identity=IdentityVerifier(sanctioned_names),
        mfa=MFAService(),
        notifier=notifier,
    )
    if start_background:
        notifier.start()
    return services
