"""Consolidation: claims → events, reconciled figures, contradictions, relations, changes."""

from whatweknow.consolidate.cluster import ConsolidationResult, consolidate, update
from whatweknow.consolidate.contradictions import find_contradictions
from whatweknow.consolidate.diff import Changes, changes_since
from whatweknow.consolidate.features import DocMeta
from whatweknow.consolidate.figures import reconcile, total
from whatweknow.consolidate.relations import relate_events

__all__ = [
    "Changes",
    "ConsolidationResult",
    "DocMeta",
    "changes_since",
    "consolidate",
    "find_contradictions",
    "reconcile",
    "relate_events",
    "total",
    "update",
]
