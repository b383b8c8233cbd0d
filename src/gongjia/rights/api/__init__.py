"""/api/v1/rights: stations, the legal service team, dispute cases and collective
negotiations, in the caller's scope. One module per part; all share one router."""

from gongjia.rights.api import cases, negotiations, network  # noqa: F401  registers the routes
from gongjia.rights.api.base import router

__all__ = ["router"]
