"""errkit runtime layer."""
