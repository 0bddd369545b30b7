"""The experiments app's models: the registry's pages (pages.py) and the registry's own
records, kept outside the pages' revisions (registry.py)."""

from .pages import (
    RICH_TEXT_FEATURES,
    ExperimentDocument,
    ExperimentIndexPage,
    ExperimentPage,
    ExperimentPageTag,
    ExperimentPartner,
    MunicipalityExperimentsPage,
    SectionPage,
    registry_label,
)
from .registry import (
    Registration,
    RegistrationSequence,
    RegistryVersion,
    ResultsReminder,
    WithdrawalRequest,
    with_admin_facts,
)

__all__ = [
    "RICH_TEXT_FEATURES",
    "ExperimentDocument",
    "ExperimentIndexPage",
    "ExperimentPage",
    "ExperimentPageTag",
    "ExperimentPartner",
    "MunicipalityExperimentsPage",
    "Registration",
    "RegistrationSequence",
    "RegistryVersion",
    "ResultsReminder",
    "SectionPage",
    "WithdrawalRequest",
    "registry_label",
    "with_admin_facts",
]
