from gongjia.skills.models.competitions import (  # noqa: F401
    Competition,
    Entrant,
    Entry,
    Event,
    Judge,
    PanelSeat,
    Trade,
)
from gongjia.skills.models.marking import (  # noqa: F401
    Appeal,
    Aspect,
    Criterion,
    Mark,
    Promotion,
    Recheck,
    Scheme,
    Score,
    Section,
    SubCriterion,
    Unlock,
)
