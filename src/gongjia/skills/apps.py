from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "gongjia.skills"
    label = "skills"
    verbose_name = _("Skill competitions")

    def ready(self):
        from gongjia.platform import audit, scope
        from gongjia.skills import (
            imports,  # noqa: F401  registers the spreadsheets
            schemes,  # noqa: F401  registers the scheme's spreadsheet
            selectors,  # noqa: F401  registers the indicators
        )
        from gongjia.skills import models as m

        scope.unscoped(m.Trade)  # the federation's dictionary: the permission alone decides
        scope.units(m.Competition, "organiser")
        scope.units(m.Event, "competition__organiser")
        # An entry is the organiser's and the entrants' union's.
        scope.units(m.Entry, "event__competition__organiser", "union")
        scope.units(m.Entrant, "entry__event__competition__organiser", "entry__union")
        scope.units(m.Judge, "unit")
        scope.units(m.PanelSeat, "event__competition__organiser")
        scope.units(m.Scheme, "event__competition__organiser")
        for model in (m.Section, m.Criterion):
            scope.units(model, "scheme__event__competition__organiser")
        scope.units(m.SubCriterion, "criterion__scheme__event__competition__organiser")
        scope.units(m.Aspect, "sub__criterion__scheme__event__competition__organiser")
        scope.units(m.Mark, "entry__event__competition__organiser")
        scope.units(m.Score, "mark__entry__event__competition__organiser")
        scope.units(m.Unlock, "mark__entry__event__competition__organiser")
        scope.units(m.Recheck, "event__competition__organiser")
        scope.units(m.Appeal, "entry__event__competition__organiser", "entry__union")
        scope.units(m.Promotion, "entry__event__competition__organiser", "entry__union")
        for model in (
            m.Trade,
            m.Competition,
            m.Event,
            m.Entry,
            m.Judge,
            m.PanelSeat,
            m.Scheme,
            m.Section,
            m.Criterion,
            m.SubCriterion,
            m.Aspect,
            m.Mark,
            m.Score,
            m.Unlock,
            m.Recheck,
            m.Appeal,
            m.Promotion,
        ):
            audit.track(model)
