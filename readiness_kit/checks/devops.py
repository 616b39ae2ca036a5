"""Devops checks."""
