"""Honours in the back office: selections and the register (`selections`), exemplars
(`exemplars`), recuperation and health-check places (`care`)."""

from gongjia.honours.admin import care, exemplars, selections  # noqa: F401  registers them
