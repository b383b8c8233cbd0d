"""The special services in the back office: counselling (`counselling`), employment assistance
(`employment`), the helmet campaign (`helmets`), beautiful factories and workers (`factories`)
and rest stations (`stations`)."""

from gongjia.services.admin import (  # noqa: F401  registers them
    counselling,
    employment,
    factories,
    helmets,
    stations,
)
