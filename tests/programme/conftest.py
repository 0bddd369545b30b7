import pytest


@pytest.fixture(autouse=True)
def without_demo_programme(db):
    """The programme's tests build their own plans, charters and barrier entries; the
    session's demo ones (a charter per demo gemeente, max one per gemeente) are deleted inside
    each test's transaction, so they are back for the next test."""
    from programme.models import BarrierPage, CharterPage, NeighbourhoodActionPlanPage

    for model in (BarrierPage, CharterPage, NeighbourhoodActionPlanPage):
        for page in model.objects.all():
            page.delete()
