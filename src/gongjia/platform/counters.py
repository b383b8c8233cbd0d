"""Concurrency-safe number blocks: two imports never hand out the same member number."""

from django.db import transaction
from django.db.models import F

from gongjia.platform.models import Counter


def allocate(name: str, n: int = 1) -> range:
    """Reserve `n` consecutive numbers of the sequence `name`; returns them as a range."""
    if n < 1:
        return range(0)
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name).update(value=F("value") + n)
        end = Counter.objects.get(name=name).value
    return range(end - n + 1, end + 1)
