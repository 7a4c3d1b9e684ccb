"""The oversight section's routes, gathered from the feature modules that define them."""

from .blueprint import bp

__all__ = ["bp"]
