"""The provider daemon, its workers and capacity bookkeeping."""

from __future__ import annotations

import threading

import pytest

from bazaar.provider import (
    BidRejected,
    Capacity,
    CapacityExceeded,
    ProviderDaemon,
    ProviderOffline,
    UsageRecord,
    UsageReporter,
)
from bazaar.provider.daemon import offer_or_skip


class FakeMarket:
    """Records calls; fails according to the attributes tests set."""

    def __init__(self) -> None:
        self.bids: list[tuple[str, int, int]] = []
        self.usage: list[str] = []
        self.heartbeats = 0
        self.reject: str | None = None
        self.unreachable = False
        self.heartbeat_fails = False
        self.heartbeat_seen = threading.Event()

    def post_bid(self, provider_id, gpu, hours, price):
        if self.unreachable:
            raise ConnectionError("connection refused")
        if self.reject:
            raise BidRejected(gpu, self.reject)
        self.bids.append((gpu, hours, price))
        return f"ord-{len(self.bids)}"

    def heartbeat(self, provider_id):
        self.heartbeats += 1
        self.heartbeat_seen.set()
        if self.heartbeat_fails:
            raise ConnectionError("timeout")

    def report_usage(self, provider_id, records):
        self.usage.extend(r.job_id for r in records)


@pytest.fixture
def market():
    return FakeMarket()


@pytest.fixture
def daemon(market):
    d = ProviderDaemon("prov-1", Capacity({"a100": 4}), market, heartbeat_interval=0.005)
    d.start()
    yield d
    d.stop()


class TestCapacity:
    def test_over_reservation_is_value_error(self):
        """Reserving more than is free raises CapacityExceeded, a ValueError."""
        capacity = Capacity({"a100": 2})
        capacity.reserve("a100", 2)
        with pytest.raises(ValueError, match="^only 0 a100 free, asked for 1$") as info:
            capacity.reserve("a100", 1)
        assert isinstance(info.value, CapacityExceeded)

    def test_unknown_gpu_is_key_error(self):
        """Reserving an unknown model raises KeyError with the model name."""
        with pytest.raises(KeyError) as info:
            Capacity({"a100": 1}).reserve("t4", 1)
        assert info.value.args == ("t4",)

    def test_over_release_is_runtime_error(self):
        """Releasing more than is reserved raises RuntimeError."""
        with pytest.raises(RuntimeError, match="^releasing 1 a100 but only 0 reserved$"):
            Capacity({"a100": 1}).release("a100", 1)


class TestDaemon:
    def test_offers_become_bids(self, daemon, market):
        """An offer is posted by the bid worker as count * hours GPU hours."""
        daemon.offer("a100", 2, 5, 300)
        daemon.drain()
        assert market.bids == [("a100", 10, 300)]
        assert daemon.posted == ["ord-1"]

    def test_unknown_gpu_offer_is_value_error(self, daemon):
        """Offering a GPU the node lacks raises ValueError, not KeyError."""
        with pytest.raises(ValueError, match="^this node has no h100 GPUs$"):
            daemon.offer("h100", 1, 1, 1)

    def test_rejected_bid_releases_capacity(self, daemon, market):
        """A rejected bid is recorded and its GPUs become free again."""
        market.reject = "price below floor"
        daemon.offer("a100", 3, 1, 1)
        daemon.drain()
        assert daemon.rejected == ["price below floor"]
        assert daemon.capacity.free("a100") == 4
        assert daemon.bid_worker_alive

    @pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
    def test_unreachable_market_stops_bid_worker(self, daemon, market):
        """A connection error while bidding ends the bid worker; GPUs are released."""
        market.unreachable = True
        daemon.offer("a100", 1, 1, 1)
        daemon._bid_thread.join(timeout=2)
        assert not daemon.bid_worker_alive
        assert daemon.capacity.free("a100") == 4
        daemon.offer("a100", 1, 1, 1)
        with pytest.raises(RuntimeError, match="^bid worker is not running$"):
            daemon.drain()

    def test_offline_daemon_refuses_offers(self, market):
        """An unstarted daemon raises ProviderOffline, a ConnectionError."""
        daemon = ProviderDaemon("prov-2", Capacity({"a100": 1}), market)
        with pytest.raises(ConnectionError, match="^provider prov-2 is offline$") as info:
            daemon.offer("a100", 1, 1, 1)
        assert isinstance(info.value, ProviderOffline)

    def test_missed_heartbeats_take_daemon_offline(self, market):
        """Three failed heartbeats in a row mark the daemon offline."""
        market.heartbeat_fails = True
        daemon = ProviderDaemon("prov-3", Capacity({}), market, heartbeat_interval=0.002)
        daemon.start()
        for _ in range(1000):
            if not daemon.online:
                break
            threading.Event().wait(0.002)
        daemon.stop()
        assert daemon.missed_heartbeats >= 3
        assert market.heartbeats >= 3

    def test_double_start_is_runtime_error(self, daemon):
        """start() on a running daemon raises RuntimeError."""
        with pytest.raises(RuntimeError, match="^daemon prov-1 already started$"):
            daemon.start()

    def test_offer_or_skip(self, daemon):
        """offer_or_skip() reports False instead of raising for what does not fit."""
        assert offer_or_skip(daemon, "a100", 4, 1, 1) is True
        assert offer_or_skip(daemon, "a100", 1, 1, 1) is False
        assert offer_or_skip(daemon, "h100", 1, 1, 1) is False
        daemon.drain()


class TestUsageReporter:
    def test_usage_is_reported_in_batches(self, daemon, market):
        """Recorded usage reaches billing; stop() flushes what is queued."""
        for n in range(3):
            daemon.record_usage(f"job-{n}", "a100", 60.0)
        daemon.stop()
        assert sorted(market.usage) == ["job-0", "job-1", "job-2"]
        assert daemon.usage.sent == 3

    def test_rejected_usage_is_counted(self):
        """A ValueError from billing counts the batch as rejected; the thread goes on."""

        def report(batch):
            if batch[0].job_id == "bad":
                raise ValueError("negative usage")

        reporter = UsageReporter(report, batch_size=1, poll=0.002)
        reporter.start()
        reporter.records.put(UsageRecord("bad", "a100", 1.0))
        reporter.stop()
        reporter.join(timeout=2)
        assert (reporter.rejected, reporter.sent) == (1, 0)

    def test_negative_usage_is_value_error(self, daemon):
        """record_usage() refuses negative seconds."""
        with pytest.raises(ValueError, match="^usage must not be negative: -1$"):
            daemon.record_usage("job", "a100", -1)
