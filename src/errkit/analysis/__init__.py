"""errkit analysis layer."""
