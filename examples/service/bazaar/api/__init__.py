"""The HTTP API (Flask) and the Prometheus metrics endpoint."""

from bazaar.api.app import create_app
from bazaar.api.services import Services, build_services

__all__ = ["Services", "build_services", "create_app"]
