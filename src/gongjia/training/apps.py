from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "gongjia.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from gongjia.platform import audit, scope
        from gongjia.training import (
            imports,  # noqa: F401  registers the spreadsheet
            selectors,  # noqa: F401  registers the indicators
        )
        from gongjia.training import models as m

        scope.unscoped(m.Course)  # the academy's catalogue: the permission alone decides
        scope.units(m.TrainingClass, "organiser")
        scope.units(m.ClassSession, "training_class__organiser")
        # An enrolment is the class organiser's and the member's union's.
        scope.units(m.Enrolment, "training_class__organiser", "union")
        scope.units(m.Attendance, "session__training_class__organiser", "enrolment__union")
        scope.units(m.Certificate, "enrolment__training_class__organiser", "enrolment__union")
        # A base is the naming federation's, and its enterprise's town and union see it.
        scope.units(m.TrainingBase, "authority", "enterprise__federation", "enterprise__union")
        scope.units(m.BaseReview, "base__authority", "base__enterprise__federation")
        scope.units(m.Plan, "organiser")
        scope.units(m.PlanTier, "plan__organiser")
        for model in (
            m.Course,
            m.TrainingClass,
            m.ClassSession,
            m.Enrolment,
            m.Certificate,
            m.TrainingBase,
            m.BaseReview,
            m.Plan,
            m.PlanTier,
        ):
            audit.track(model)
