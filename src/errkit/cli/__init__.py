"""errkit's command line (layer 5)."""

from __future__ import annotations


def main() -> None:
    """Entry point of the `errkit` command."""
    from errkit.cli.app import main as run

    run()
