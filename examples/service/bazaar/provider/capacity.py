"""How many GPUs of each model a provider has, and how many are promised."""

from __future__ import annotations

import threading

from bazaar.provider.errors import CapacityExceeded


class Capacity:
    def __init__(self, gpus: dict[str, int]) -> None:
        for gpu, count in gpus.items():
            if count < 0:
                raise ValueError(f"gpu count for {gpu} must not be negative: {count}")
        self._total = dict(gpus)
        self._reserved = {gpu: 0 for gpu in gpus}
        self._lock = threading.Lock()

    def free(self, gpu: str) -> int:
        with self._lock:
            if gpu not in self._total:
                raise KeyError(gpu)
            return self._total[gpu] - self._reserved[gpu]

    def reserve(self, gpu: str, count: int) -> None:
        if count <= 0:
            raise ValueError(f"count must be positive, got {count}")
        with self._lock:
            try:
                free = self._total[gpu] - self._reserved[gpu]
            except KeyError:
                raise KeyError(gpu)
            if count > free:
                raise CapacityExceeded(f"only {free} {gpu} free, asked for {count}")
            self._reserved[gpu] += count

    def release(self, gpu: str, count: int) -> None:
        with self._lock:
            if self._reserved.get(gpu, 0) < count:
                raise RuntimeError(
                    f"releasing {count} {gpu} but only {self._reserved.get(gpu, 0)} reserved"
                )
            self._reserved[gpu] -= count

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {
                gpu: {"total": total, "reserved": self._reserved[gpu]}
                for gpu, total in self._total.items()
            }
