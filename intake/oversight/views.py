"""The oversight section's routes, gathered from the feature modules that define them."""

from . import (
    dashboard,  # noqa: F401  (routes)
    jurisdictions,  # noqa: F401  (routes)
    open_data,  # noqa: F401  (routes)
    report,  # noqa: F401  (routes)
)
from .blueprint import bp

__all__ = ["bp"]
