"""Search: one access-aware index over everything."""
