"""Multiple systems estimation: the total including the people no list recorded.

``histories`` reads capture histories; ``lcmcr``, ``loglinear``, ``stepwise`` and ``dga`` are the
estimators; ``api.estimate`` runs one by stratum and sums; ``from_case`` builds capture histories
from the linked case; ``plots`` draws the figures.
"""
