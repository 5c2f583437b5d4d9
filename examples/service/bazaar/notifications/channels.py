"""Delivery channels. Production uses SMTP and signed webhooks; tests use memory."""

from __future__ import annotations

import threading
from typing import Protocol


class DeliveryError(Exception):
    """A channel could not deliver a message; `permanent` ones are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class UnknownChannel(LookupError):
    """No channel is registered under this name."""


class ChannelDeprecationWarning(DeprecationWarning):
    """The channel name is an old alias (``mail`` for ``email``)."""


class Channel(Protocol):
    name: str

    def send(self, recipient: str, subject: str, body: str) -> None: ...

    def close(self) -> None: ...


class MemoryChannel:
    """Keeps what it was asked to send; fails on demand for tests and drills."""

    def __init__(self, name: str, *, fail_times: int = 0, permanent: bool = False):
        self.name = name
        self.sent: list[tuple[str, str, str]] = []
        self.attempts = 0
        self.closed = False
        self._fail_times = fail_times
        self._permanent = permanent
        self._lock = threading.Lock()

    def send(self, recipient: str, subject: str, body: str) -> None:
        with self._lock:
            self.attempts += 1
            if self._fail_times > 0:
                self._fail_times -= 1
                raise DeliveryError(
                    f"{self.name}: upstream refused message to {recipient}",
                    permanent=self._permanent,
                )
            if "@" not in recipient and self.name == "email":
                raise ValueError(f"not an email address: {recipient!r}")
            self.sent.append((recipient, subject, body))

    def close(self) -> None:
        if self.closed:
            raise RuntimeError(f"channel {self.name} already closed")
        self.closed = True
