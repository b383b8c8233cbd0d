from gongjia.services.models.counselling import (  # noqa: F401
    CRISIS_ACTIONS,
    ROOM_CHECKLIST,
    Booking,
    CounsellingRoom,
    Counsellor,
    Crisis,
    Hotline,
    Kind,
    ScheduleSlot,
    Session,
    Topic,
)
from gongjia.services.models.employment import (  # noqa: F401
    Campaign,
    ExternalFigure,
    Fair,
    Hire,
    Placement,
    Posting,
    Seeker,
    ZeroHousehold,
)
from gongjia.services.models.factories import (  # noqa: F401
    WORKER_GROUNDS,
    BeautifulWorker,
    ConductRecord,
    FactoryAssessment,
    FactoryScore,
    SpotCheck,
    Stage,
)
from gongjia.services.models.helmets import (  # noqa: F401
    GateCount,
    HelmetBatch,
    HelmetIssue,
    HelmetPeriod,
    PersuasionPost,
    PostLog,
    SharedMove,
    SharedPoint,
    Shift,
    Volunteer,
)
from gongjia.services.models.stations import (  # noqa: F401
    FACILITIES,
    RestStation,
    StationCheck,
    StationVisits,
)
