"""Test support: every scoped model provides a factory so the generic scope test can make rows.

Each app declares them in its `testing.py`:

    @factory(Enterprise)
    def make_enterprise(tree, town):      # town: the town federation the row belongs under
        return Enterprise.objects.create(...)

The row's str() must contain the town's code, so pages can be searched for it.
"""

from django.utils.module_loading import autodiscover_modules

_factories: dict = {}


def factory(model):
    def wrap(func):
        _factories[model] = func
        return func

    return wrap


def factories() -> dict:
    autodiscover_modules("testing")
    return dict(_factories)
