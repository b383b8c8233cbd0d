"""The back office of hardship assistance, one module per part of the programme."""

from gongjia.assistance.admin import care, households, relief  # noqa: F401  registers
