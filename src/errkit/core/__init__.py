"""errkit core layer."""
