"""Background workers of the provider daemon."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("bazaar.provider")


@dataclass(frozen=True)
class UsageRecord:
    job_id: str
    gpu: str
    seconds: float


class UsageReporter(threading.Thread):
    """Sends usage records to billing, batching them and retrying while offline.

    Records that fail with a connection error are put back and retried on the next
    round; anything else is counted as rejected (billing refused the record).
    """

    def __init__(
        self,
        report: Callable[[list[UsageRecord]], None],
        *,
        batch_size: int = 10,
        poll: float = 0.01,
    ) -> None:
        super().__init__(name="usage-reporter", daemon=True)
        self._report = report
        self._batch_size = batch_size
        self._poll = poll
        self.records: queue.Queue[UsageRecord] = queue.Queue()
        self.sent = 0
        self.rejected = 0
        self.retries = 0
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        while not self._stop_event.is_set() or not self.records.empty():
            batch = self._take_batch()
            if not batch:
                continue
            try:
                self._report(batch)
            except ConnectionError:
                self.retries += 1
                for record in batch:
                    self.records.put(record)
                if self._stop_event.wait(self._poll):
                    return  # shutting down: billing re-reads usage from the node
            except ValueError as e:
                log.error("billing rejected %d records: %s", len(batch), e)
                self.rejected += len(batch)
            else:
                self.sent += len(batch)

    def _take_batch(self) -> list[UsageRecord]:
        batch: list[UsageRecord] = []
        try:
            batch.append(self.records.get(timeout=self._poll))
            while len(batch) < self._batch_size:
                batch.append(self.records.get_nowait())
        except queue.Empty:
            pass
        return batch
