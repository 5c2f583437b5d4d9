"""The provider daemon.

Runs on every provider node. It turns the operator's offers into sell orders on the
market (bid worker), reports GPU usage to billing (usage reporter), and sends a
heartbeat so the market knows the node is alive. The market stops matching a
provider after three missed heartbeats.
"""

from __future__ import annotations

import logging
import queue
import time
from dataclasses import dataclass
from threading import Event, Lock, Thread, Timer, current_thread
from typing import Any, Protocol

from bazaar.provider.capacity import Capacity
from bazaar.provider.errors import BidRejected, CapacityExceeded, ProviderOffline
from bazaar.provider.workers import UsageRecord, UsageReporter

log = logging.getLogger("bazaar.provider")

MAX_MISSED_HEARTBEATS = 3


class MarketClient(Protocol):
    def post_bid(self, provider_id: str, gpu: str, hours: int, price: int) -> str: ...

    def heartbeat(self, provider_id: str) -> None: ...

    def report_usage(self, provider_id: str, records: list[UsageRecord]) -> None: ...


@dataclass
class Offer:
    gpu: str
    count: int
    hours: int
    price: int


class ProviderDaemon:
    def __init__(
        self,
        provider_id: str,
        capacity: Capacity,
        client: MarketClient,
        *,
        heartbeat_interval: float = 10.0,
        poll: float = 0.01,
    ) -> None:
        self.provider_id = provider_id
        self.capacity = capacity
        self.client = client
        self._heartbeat_interval = heartbeat_interval
        self._poll = poll
        self._offers: queue.Queue[Offer] = queue.Queue()
        self._stop = Event()
        self._lock = Lock()
        self._timer: Timer | None = None
        self._bid_thread: Thread | None = None
        self.usage = UsageReporter(
            lambda records: client.report_usage(provider_id, records), poll=poll
        )
        self.posted: list[str] = []
        self.rejected: list[str] = []
        self.missed_heartbeats = 0
        self.online = False

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        if self._bid_thread is not None:
            raise RuntimeError(f"daemon {self.provider_id} already started")
        self.online = True
        self._bid_thread = Thread(target=self._bid_loop, name="bid-worker", daemon=True)
        self._bid_thread.start()
        self.usage.start()
        self._schedule_heartbeat()
        log.info("provider %s started", self.provider_id)

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            timer = self._timer
        if timer is not None:
            timer.cancel()
            if timer is not current_thread():
                timer.join()
        if self._bid_thread is not None:
            self._bid_thread.join()
        self.usage.stop()
        if self.usage.is_alive():
            self.usage.join()
        self.online = False

    @property
    def bid_worker_alive(self) -> bool:
        return self._bid_thread is not None and self._bid_thread.is_alive()

    # -- offers -----------------------------------------------------------------------

    def offer(self, gpu: str, count: int, hours: int, price: int) -> None:
        """Promise `count` GPUs for `hours`; the bid worker posts it to the market."""
        if not self.online:
            raise ProviderOffline(f"provider {self.provider_id} is offline")
        if hours <= 0 or price <= 0:
            raise ValueError(f"hours and price must be positive: {hours}, {price}")
        try:
            self.capacity.reserve(gpu, count)
        except KeyError:
            raise ValueError(f"this node has no {gpu} GPUs")
        self._offers.put(Offer(gpu, count, hours, price))

    def drain(self, timeout: float = 1.0) -> None:
        """Wait until every queued offer has been handled (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while self._offers.unfinished_tasks:
            if time.monotonic() > deadline:
                raise TimeoutError(f"offers not drained within {timeout} s")
            if not self.bid_worker_alive:
                raise RuntimeError("bid worker is not running")
            time.sleep(self._poll)

    def _bid_loop(self) -> None:
        while not self._stop.is_set():
            try:
                offer = self._offers.get(timeout=self._poll)
            except queue.Empty:
                continue
            try:
                self._post(offer)
            finally:
                self._offers.task_done()

    def _post(self, offer: Offer) -> None:
        try:
            order_id = self.client.post_bid(
                self.provider_id, offer.gpu, offer.count * offer.hours, offer.price
            )
        except BidRejected as e:
            self.capacity.release(offer.gpu, offer.count)
            self.rejected.append(e.reason)
            log.warning("%s", e)
            return
        except ConnectionError as e:
            self.capacity.release(offer.gpu, offer.count)
            raise ProviderOffline(f"market unreachable while bidding: {e}")
        self.posted.append(order_id)

    # -- usage ------------------------------------------------------------------------

    def record_usage(self, job_id: str, gpu: str, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"usage must not be negative: {seconds}")
        self.usage.records.put(UsageRecord(job_id, gpu, seconds))

    # -- heartbeat --------------------------------------------------------------------

    def _schedule_heartbeat(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._timer = Timer(self._heartbeat_interval, self._heartbeat)
            self._timer.daemon = True
            self._timer.start()

    def _heartbeat(self) -> None:
        try:
            self.client.heartbeat(self.provider_id)
        except ConnectionError:
            self.missed_heartbeats += 1
            if self.missed_heartbeats >= MAX_MISSED_HEARTBEATS:
                log.error("provider %s lost the market", self.provider_id)
                self.online = False
        else:
            self.missed_heartbeats = 0
            self.online = True
        self._schedule_heartbeat()

    def status(self) -> dict[str, Any]:
        return {
            "provider": self.provider_id,
            "online": self.online,
            "missed_heartbeats": self.missed_heartbeats,
            "capacity": self.capacity.snapshot(),
            "posted": len(self.posted),
            "usage_sent": self.usage.sent,
        }


def offer_or_skip(daemon: ProviderDaemon, gpu: str, count: int, hours: int, price: int) -> bool:
    """Offer what fits; used by the operator CLI's ``--fill`` mode."""
    try:
        daemon.offer(gpu, count, hours, price)
    except CapacityExceeded:
        return False
    except Exception:
        return False
    return True
