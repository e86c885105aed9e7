"""The ratings' rules as pure functions: the score range, and when a household counts as
satisfied."""


# --- Rules (pure) -----------------------------------------------------------------------------

SCORE_MIN, SCORE_MAX = 1, 5
# The national satisfaction survey counts 4 (fairly satisfied) and 5 (very satisfied).
SATISFIED_FROM = 4
ASPECTS = ("work_score", "process_score", "management_score")


def is_satisfied(*scores: int) -> bool:
    """A household is satisfied when its scores average 4 or more (the sum of the three
    aspects is at least 12). ``selectors_participation`` counts the same rule in SQL."""
    return sum(scores) >= SATISFIED_FROM * len(scores)
