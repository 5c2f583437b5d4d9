"""errkit integrations layer."""
