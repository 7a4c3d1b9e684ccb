"""The oversight section's routes, gathered from the feature modules that define them."""

from . import open_data  # noqa: F401  (routes)
from .blueprint import bp

__all__ = ["bp"]
