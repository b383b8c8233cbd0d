"""Reading rows to write beside them."""


def in_batches(queryset, size: int = 500):
    """The rows of a queryset, in batches each read in full before the caller writes.

    A streaming cursor (`.iterator()`) keeps a read open while the loop writes; on SQLite the
    first write then upgrades that read to a write transaction, which the database refuses at
    once, without waiting for the lock, whenever another process is writing (a web request
    beside the worker's sweep). Keyset batches by primary key close each read first.
    """
    qs = queryset.order_by("pk")
    last = None
    while True:
        page = list((qs if last is None else qs.filter(pk__gt=last))[:size])
        if not page:
            return
        yield from page
        last = page[-1].pk
