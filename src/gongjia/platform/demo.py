"""Demo-district steps: each app adds its records with `@step(order)`; `gongjia demo` runs them."""

from collections.abc import Callable

_steps: list[tuple[int, str, Callable]] = []


def step(order: int):
    def wrap(func):
        _steps.append((order, f"{func.__module__}.{func.__name__}", func))
        return func

    return wrap


def steps():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return [f for _, _, f in sorted(_steps, key=lambda s: (s[0], s[1]))]
