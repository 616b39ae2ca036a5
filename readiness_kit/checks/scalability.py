"""Scalability checks."""
