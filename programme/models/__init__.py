from .barriers import BarrierPage, Ministry, PlanAnnotation
from .monitor import IndicatorValue, VisitationReport
from .plans import (
    CharterCommitment,
    CharterPage,
    CharterSignatory,
    MunicipalityProgrammePage,
    NeighbourhoodActionPlanPage,
    PlanActivity,
    PlanGoal,
    ProgrammeIndexPage,
)

__all__ = [
    "BarrierPage",
    "CharterCommitment",
    "CharterPage",
    "CharterSignatory",
    "IndicatorValue",
    "Ministry",
    "MunicipalityProgrammePage",
    "NeighbourhoodActionPlanPage",
    "PlanActivity",
    "PlanAnnotation",
    "PlanGoal",
    "ProgrammeIndexPage",
    "VisitationReport",
]
