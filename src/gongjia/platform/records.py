"""Rows handed back by the actions."""


def adopt(target, saved) -> None:
    """Make `target` the row an action saved as another instance (`saved`): its field values,
    and that it is in the database. Only values are copied; the instance keeps its own state
    (copying `__dict__` wholesale would share the other instance's `_state`) and forgets the
    related rows it had cached, which may have changed."""
    for f in saved._meta.concrete_fields:
        setattr(target, f.attname, getattr(saved, f.attname))
    target._state.adding = False
    target._state.db = saved._state.db
    target._state.fields_cache = {}
