"""The notification queue and its sender thread."""

from __future__ import annotations

import pytest

from bazaar.notifications import (
    ChannelDeprecationWarning,
    DeliveryError,
    MemoryChannel,
    Notifier,
    UnknownChannel,
)


@pytest.fixture
def email():
    return MemoryChannel("email")


class TestNotifier:
    def test_delivers_in_background(self, email):
        """Queued messages are sent by the sender thread."""
        notifier = Notifier([email])
        notifier.start()
        notifier.notify("email", "a@example.org", "hello")
        notifier.flush()
        notifier.stop()
        assert email.sent == [("a@example.org", "hello", "")]
        assert email.closed

    def test_unknown_channel_fails_in_caller(self, email):
        """notify() on an unknown channel raises UnknownChannel, a LookupError."""
        notifier = Notifier([email])
        with pytest.raises(LookupError, match="^unknown channel 'sms'$") as info:
            notifier.notify("sms", "+49", "hi")
        assert isinstance(info.value, UnknownChannel)

    def test_alias_warns(self, email):
        """An old channel alias still works, with a deprecation warning."""
        notifier = Notifier([email])
        with pytest.warns(ChannelDeprecationWarning, match="'mail' is deprecated"):
            notifier.notify("mail", "a@example.org", "hi")

    def test_transient_failures_are_retried(self):
        """Two transient failures, then success on the third attempt."""
        flaky = MemoryChannel("webhook", fail_times=2)
        notifier = Notifier([flaky], retry_delay=0.001)
        notifier.start()
        notifier.notify("webhook", "acct-1", "sold")
        notifier.flush()
        notifier.stop()
        assert flaky.attempts == 3
        assert [m.attempts for m in notifier.delivered] == [3]

    def test_permanent_failure_goes_to_dead_letters(self):
        """A permanent DeliveryError is not retried and is dead-lettered."""
        broken = MemoryChannel("webhook", fail_times=5, permanent=True)
        notifier = Notifier([broken])
        notifier.start()
        notifier.notify("webhook", "acct-1", "sold")
        notifier.flush()
        notifier.stop()
        [letter] = notifier.dead_letters
        assert letter.errors == ["webhook: upstream refused message to acct-1"]
        assert broken.attempts == 1

    @pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
    def test_unexpected_error_ends_sender_thread(self, email):
        """A non-delivery error ends the sender thread; stop() still returns."""
        notifier = Notifier([email])
        notifier.start()
        notifier.notify("email", "not-an-address", "hi")
        notifier._thread.join(timeout=2)
        assert not notifier._thread.is_alive()
        assert email.sent == []
        notifier.stop()

    def test_stop_ignores_close_errors(self, email):
        """A channel that fails to close does not break stop()."""
        email.close()  # a second close() raises RuntimeError
        notifier = Notifier([email])
        notifier.start()
        notifier.stop()

    def test_double_start_is_runtime_error(self, email):
        """start() twice raises RuntimeError."""
        notifier = Notifier([email])
        notifier.start()
        with pytest.raises(RuntimeError, match="^notifier already started$"):
            notifier.start()
        notifier.stop()

    def test_delivery_error_is_plain_exception(self):
        """DeliveryError carries its permanence flag and message."""
        error = DeliveryError("boom", permanent=True)
        assert (str(error), error.permanent) == ("boom", True)
