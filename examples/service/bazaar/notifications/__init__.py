"""Outbound notifications (email, webhooks) through a queue and a sender thread."""

from bazaar.notifications.channels import (
    Channel,
    ChannelDeprecationWarning,
    DeliveryError,
    MemoryChannel,
    UnknownChannel,
)
from bazaar.notifications.dispatcher import Message, Notifier

__all__ = [
    "Channel",
    "ChannelDeprecationWarning",
    "DeliveryError",
    "MemoryChannel",
    "Message",
    "Notifier",
    "UnknownChannel",
]
