"""How matching documents are ordered: BM25F over the text fields, with coordination.

Every engine scores with these formulas, so that switching engines does not change which
practices come first. BM25F adds each field's term frequency, weighted and normalised by
that field's length, before saturating once; the idf comes from the whole text. A
document matching more of the query's optional groups (its words, when any may match)
is then favoured by `coordinate`: with `coordination` = 0 only the scores count; the
larger it is, the more a missing word costs; "strict" ranks by the number of groups
matched first.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from nanum.search.engine import FIELD_WEIGHTS


@dataclass(frozen=True)
class Ranking:
    k1: float = 1.2
    b: float = 0.75
    # Measured on bench/relevance.py: 0.5 ranks short queries as well as 1 and questions
    # better (nDCG@10 0.807 and 0.638 against 0.805 and 0.630), yet still puts a document
    # with every word above one lacking a rare word.
    coordination: float | str = 0.5
    weights: dict = field(default_factory=lambda: dict(FIELD_WEIGHTS))
    # Count a matched group by its idf, so that lacking a rare word costs more than
    # lacking a common one; otherwise every group counts the same.
    coverage_by_idf: bool = True

    @classmethod
    def from_config(cls, config):
        weights = dict(FIELD_WEIGHTS)
        weights.update(config.get("SEARCH_FIELD_WEIGHTS") or {})
        coordination = config.get("SEARCH_COORDINATION", 0.5)
        if coordination != "strict":
            coordination = float(coordination)
        return cls(k1=float(config.get("SEARCH_BM25_K1", 1.2)),
                   b=float(config.get("SEARCH_BM25_B", 0.75)),
                   coordination=coordination, weights=weights,
                   coverage_by_idf=bool(config.get("SEARCH_COVERAGE_BY_IDF", True)))

    def idf(self, doc_frequency, documents):
        """Robertson–Spärck Jones idf, never negative."""
        return math.log(1 + (documents - doc_frequency + 0.5) / (doc_frequency + 0.5))

    def field_tf(self, frequencies, lengths, average):
        """A field's term frequencies normalised by the field's length."""
        return frequencies / ((1 - self.b) + self.b * lengths / max(average, 1e-9))

    def saturate(self, weighted_tf, idf):
        return idf * weighted_tf * (self.k1 + 1) / (weighted_tf + self.k1)

    def group_weight(self, idfs):
        """How much matching one optional group counts, from the idfs of its terms."""
        return max(sum(idfs), 1e-6) if self.coverage_by_idf else 1.0

    def coordinate(self, scores, coverage):
        """Combine scores with the share of the optional groups each document matched
        (`coverage`, from 0 to 1, weighted by `group_weight`)."""
        if self.coordination == "strict":
            return coverage * (float(np.max(scores, initial=0.0)) + 1.0) + scores
        if not self.coordination:
            return scores
        return scores * coverage ** self.coordination
