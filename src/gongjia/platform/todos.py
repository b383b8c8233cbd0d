"""Each role's to-do list: what waits for this person, declared by each app beside its
indicators (in its selectors) and shown first on the back-office home page.

    @todo("assistance.households_to_check", label=_("Hardship applications to check"),
          perm="assistance.change_household", link="admin:assistance_household_changelist",
          query="status__exact=applied")
    def households_to_check(user):
        return restrict(Household.objects.filter(status="applied"), user, "change").count()

A to-do counts rows in the user's scope (through scope.restrict) in one query; only those with
something waiting are shown, each linked to the list that holds them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from gongjia.platform import formatting


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    perm: str  # who has this work: the permission it takes
    func: Callable  # func(user) -> how many wait
    link: str = ""  # admin URL name of the list
    query: str = ""  # the list's filter, as a query string
    urgent: bool = False  # past a deadline: shown first, in red


_registry: dict[str, Todo] = {}


def todo(key: str, *, label, perm: str, link: str = "", query: str = "", urgent: bool = False):
    def wrap(func):
        if key in _registry:
            raise ValueError(f"to-do {key} declared twice")
        _registry[key] = Todo(key, label, perm, func, link, query, urgent)
        return func

    return wrap


def registry() -> dict[str, Todo]:
    return dict(_registry)


def waiting(user) -> list[dict]:
    """What waits for `user`, urgent first: only the kinds of work their role has, and only
    those with something waiting. Kept like a figure until a write changes what it counts
    (some of it is the person's own work: their id is part of what is kept)."""
    from gongjia.platform import figure_cache

    key = ("todos", getattr(user, "pk", None), figure_cache.signature(user))
    return [dict(t) for t in figure_cache.remembered(key, lambda: _waiting(user))]


def _waiting(user) -> list[dict]:
    out = []
    for t in sorted(_registry.values(), key=lambda t: (not t.urgent, t.key)):
        if not user.has_perm(t.perm):
            continue
        n = t.func(user)
        if not n:
            continue
        try:
            url = reverse(t.link) if t.link else ""
        except NoReverseMatch:
            url = ""
        if url and t.query:
            url = f"{url}?{t.query}"
        out.append(
            {
                "key": t.key,
                "label": str(t.label),
                "count": n,
                "display": formatting.number(n),
                "url": url,
                "urgent": t.urgent,
            }
        )
    return out
