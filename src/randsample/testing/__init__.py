"""Hypothesis strategies for property tests of code built on randsample.

This module needs the optional ``testing`` extra (it imports :mod:`hypothesis` at the top);
``import randsample`` never imports it. Every strategy produces inputs the library
*accepts*: a population :func:`~randsample.draw_stratified` can draw from with
:func:`feasible_sizes`, a directory and visits :func:`~randsample.assign_inspectors` takes
(``partial=True``, since a random directory need not be able to staff every visit), a plan
:func:`~randsample.merge_plan` merges.

Use them in your own tests::

    from hypothesis import given
    from randsample import draw_stratified
    from randsample.testing import feasible_sizes, populations, seeds

    @given(data=st.data(), population=populations(), seed=seeds())
    def test_my_pipeline(data, population, seed):
        sample = draw_stratified(population, data.draw(feasible_sizes(population)), seed)
        ...

``strategy.example()`` shows a value in an interactive session (for exploration only: it is
random, and hypothesis warns when it is used inside tests), e.g. ``populations().example()``
or ``plans().example().tasks``.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(designs(strata=("A", "B")))
... def check(design):
...     assert sorted(design) == ["A", "B"] and all(r.endswith("%") for r in design.values())
>>> check()
"""

from ._plans import plans
from ._teams import inspector_directories, visits_for
from ._units import credit_classes, designs, feasible_sizes, populations, seeds, unit_ids

__all__ = [
    "credit_classes",
    "designs",
    "feasible_sizes",
    "inspector_directories",
    "plans",
    "populations",
    "seeds",
    "unit_ids",
    "visits_for",
]
