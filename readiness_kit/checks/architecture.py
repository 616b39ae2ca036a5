"""Architecture checks."""
