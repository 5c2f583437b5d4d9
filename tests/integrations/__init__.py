"""Tests of the service integrations (HTTP, frameworks, logging, tracing)."""
