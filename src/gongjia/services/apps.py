from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "gongjia.services"
    label = "services"
    verbose_name = _("Special services")

    def ready(self):
        from gongjia.platform import audit, scope
        from gongjia.services import models as m
        from gongjia.services import selectors  # noqa: F401  registers the indicators

        scope.unscoped(m.Hotline)
        scope.units(m.CounsellingRoom, "unit")
        scope.units(m.Counsellor, "unit")
        scope.units(m.ScheduleSlot, "room__unit")
        # A booking is the room's alone: never the booker's union or employer.
        scope.units(m.Booking, "room__unit")
        scope.units(m.Session, "room__unit")
        scope.units(m.Crisis, "room__unit")
        scope.units(m.Campaign, "unit")
        scope.units(m.Fair, "unit")
        scope.units(m.Posting, "unit")
        scope.units(m.Seeker, "unit")
        scope.units(m.Placement, "unit")
        scope.units(m.Hire, "unit")
        scope.units(m.ZeroHousehold, "unit")
        scope.units(m.ExternalFigure, "unit")
        scope.units(m.HelmetPeriod, "unit")
        scope.units(m.HelmetBatch, "period__unit")
        scope.units(m.HelmetIssue, "batch__period__unit")
        scope.units(m.SharedPoint, "unit")
        scope.units(m.SharedMove, "point__unit")
        scope.units(m.PersuasionPost, "unit")
        scope.units(m.Shift, "post__unit")
        scope.units(m.Volunteer, "shift__post__unit")
        scope.units(m.PostLog, "post__unit")
        scope.units(m.GateCount, "unit")
        scope.units(m.FactoryAssessment, "unit")
        scope.units(m.FactoryScore, "assessment__unit")
        scope.units(m.SpotCheck, "assessment__unit")
        scope.units(m.ConductRecord, "unit")
        scope.units(m.BeautifulWorker, "unit")
        scope.units(m.RestStation, "unit")
        scope.units(m.StationVisits, "station__unit")
        scope.units(m.StationCheck, "station__unit")
        for model in (
            m.Hotline,
            m.CounsellingRoom,
            m.Counsellor,
            m.ScheduleSlot,
            m.Booking,
            m.Session,
            m.Crisis,
            m.Campaign,
            m.Fair,
            m.Posting,
            m.Seeker,
            m.Placement,
            m.Hire,
            m.ZeroHousehold,
            m.ExternalFigure,
            m.HelmetPeriod,
            m.HelmetBatch,
            m.HelmetIssue,
            m.SharedPoint,
            m.SharedMove,
            m.PersuasionPost,
            m.Shift,
            m.Volunteer,
            m.PostLog,
            m.GateCount,
            m.FactoryAssessment,
            m.FactoryScore,
            m.SpotCheck,
            m.ConductRecord,
            m.BeautifulWorker,
            m.RestStation,
            m.StationVisits,
            m.StationCheck,
        ):
            audit.track(model)
