"""errkit rewriting layer."""
