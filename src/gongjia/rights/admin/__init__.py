"""The back office of rights protection, one module per part of the programme."""

from gongjia.rights.admin import cases, harmony, negotiations, network  # noqa: F401  registers
