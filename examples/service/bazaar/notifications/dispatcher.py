"""The notification queue and the thread that drains it.

Messages are queued by the rest of the service and sent by one background thread,
with a few retries for transient channel failures. Undeliverable messages go to the
dead-letter list, which support looks at every morning.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

from bazaar.notifications.channels import (
    Channel,
    ChannelDeprecationWarning,
    DeliveryError,
    UnknownChannel,
)

log = logging.getLogger("bazaar.notifications")

_ALIASES = {"mail": "email", "hook": "webhook"}
_STOP = object()


@dataclass
class Message:
    channel: str
    recipient: str
    subject: str
    body: str = ""
    attempts: int = 0
    errors: list[str] = field(default_factory=list)


class Notifier:
    def __init__(
        self,
        channels: Iterable[Channel],
        *,
        max_attempts: int = 3,
        retry_delay: float = 0.01,
    ) -> None:
        self._channels = {channel.name: channel for channel in channels}
        self._queue: queue.Queue[object] = queue.Queue()
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        self.delivered: list[Message] = []
        self.dead_letters: list[Message] = []
        self._thread: threading.Thread | None = None

    def channel(self, name: str) -> Channel:
        if name in _ALIASES:
            warnings.warn(
                f"channel {name!r} is deprecated, use {_ALIASES[name]!r}",
                ChannelDeprecationWarning,
                stacklevel=3,
            )
            name = _ALIASES[name]
        try:
            return self._channels[name]
        except KeyError:
            raise UnknownChannel(f"unknown channel {name!r}")

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("notifier already started")
        self._thread = threading.Thread(target=self._run, name="notifier", daemon=True)
        self._thread.start()

    def notify(self, channel: str, recipient: str, subject: str, body: str = "") -> None:
        self.channel(channel)  # fail fast on a bad channel name, in the caller
        self._queue.put(Message(_ALIASES.get(channel, channel), recipient, subject, body))

    def flush(self) -> None:
        """Block until every queued message was delivered or dead-lettered."""
        self._queue.join()

    def stop(self) -> None:
        self._queue.put(_STOP)
        if self._thread is not None:
            self._thread.join()
        for channel in self._channels.values():
            try:
                channel.close()
            except Exception:
                pass

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                assert isinstance(item, Message)
                self._deliver(item)
            finally:
                self._queue.task_done()

    def _deliver(self, message: Message) -> None:
        channel = self._channels[message.channel]
        while message.attempts < self._max_attempts:
            message.attempts += 1
            try:
                channel.send(message.recipient, message.subject, message.body)
            except DeliveryError as e:
                message.errors.append(str(e))
                if e.permanent:
                    break
                time.sleep(self._retry_delay * message.attempts)
                continue
            self.delivered.append(message)
            return
        log.warning("dead letter after %d attempts: %s", message.attempts, message.errors[-1])
        self.dead_letters.append(message)
