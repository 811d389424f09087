"""The SDG suggester: goals and targets for a text, each with a score and what supports it.

Scores come from one logistic regression per goal over the text's features (features.py),
trained by `nanum sdg build` and kept in data/model.npz; a goal is in `about` when its score
reaches that goal's threshold and a share of the text's best score, both chosen by
cross-validation on the training texts. The features include how close a text is to the
training texts of each goal, kept with the weights.
"""

from functools import lru_cache
from pathlib import Path

import numpy as np

from nanum.sdg import features
from nanum.sdg.features import GOALS

MODEL = Path(__file__).parent / "data" / "model.npz"
MIN_GOAL_SCORE = 0.1
MAX_TARGETS = 5
MAX_WORDS = 6


class Suggester:
    def __init__(self, weights):
        self.tfidf = features.Tfidf(weights["vocabulary"], weights["idf"])
        examples = (weights["example_embeddings"].astype(np.float32),
                    weights["example_words"].astype(np.float32), weights["example_goals"])
        self.featurizer = features.Featurizer(self.tfidf, examples)
        self.mean = weights["mean"]
        self.scale = weights["scale"]
        self.coef = weights["coef"]
        self.intercept = weights["intercept"]
        self.thresholds = weights["thresholds"]
        self.relative = float(weights["relative"])

    @classmethod
    def load(cls, path=MODEL):
        with np.load(path, allow_pickle=False) as weights:
            return cls({key: weights[key] for key in weights.files})

    def scores(self, rows):
        logits = ((rows - self.mean) / self.scale) @ self.coef.T + self.intercept
        return 1 / (1 + np.exp(-logits))

    def suggest(self, text):
        return self.suggest_many([text])[0]

    def suggest_many(self, texts):
        """Suggestions for several texts, embedded together: for a batch, much less work per
        text than one call each."""
        answers = [{"goals": [], "targets": [], "about": []} for _ in texts]
        readable = [i for i, text in enumerate(texts) if features.has_words(text)]
        if not readable:
            return answers
        embeddings = features.embed([features.cut(texts[i]) for i in readable])
        parts = [self.featurizer.parts(texts[i], embedding)
                 for i, embedding in zip(readable, embeddings, strict=True)]
        all_scores = self.scores(np.vstack([p["row"] for p in parts]))
        found = []
        for part, scores in zip(parts, all_scores, strict=True):
            floor = self.relative * scores.max()
            about = [g for g in GOALS if scores[g - 1] >= max(self.thresholds[g - 1], floor)]
            order = np.argsort(-scores)
            shown = [GOALS[i] for i in order if scores[i] >= MIN_GOAL_SCORE or GOALS[i] in about]
            part["sentences"] = features.sentences(part["text"])
            found.append((about, shown))
        self._embed_sentences([p for p, (_a, shown) in zip(parts, found, strict=True)
                               if shown and len(p["sentences"]) > 1])
        for i, part, scores, (about, shown) in zip(readable, parts, all_scores, found,
                                                   strict=True):
            answers[i] = {
                "goals": [self._goal(g, float(scores[g - 1]), part) for g in shown],
                "targets": self._targets(shown, scores, part),
                "about": about,
            }
        return answers

    @staticmethod
    def _embed_sentences(parts):
        """Embed the sentences of every part in one call, for the sentence behind a goal."""
        if not parts:
            return
        embedded = features.embed([s for part in parts for s in part["sentences"]])
        start = 0
        for part in parts:
            part["sentence_emb"] = embedded[start:start + len(part["sentences"])]
            start += len(part["sentences"])

    def _goal(self, goal, score, parts):
        found = {"goal": goal, "score": round(score, 3)}
        words = self._words(goal, parts)
        if words:
            found["words"] = words
        if "sentence_emb" in parts:
            similarity = parts["sentence_emb"] @ self.featurizer.goal_emb[goal - 1]
            found["sentence"] = parts["sentences"][int(np.argmax(similarity))][:300]
        return found

    def _words(self, goal, parts):
        """The text's words that the goal's expert queries matched, then those its texts share."""
        words = []
        for hit_goal, _target, matched in parts["hits"]:
            if hit_goal == goal:
                words.extend(matched)
        shared = parts["words"] * self.featurizer.goal_tfidf[goal - 1]
        surface = parts.setdefault("surface", features.surface_words(parts["text"]))
        for i in np.argsort(-shared)[:MAX_WORDS]:
            if shared[i] > 0:
                stem = self.tfidf.vocabulary[i]
                words.append(surface.get(stem, stem))
        return list(dict.fromkeys(words))[:MAX_WORDS]

    def _targets(self, goals, scores, parts):
        """The best targets of the suggested goals: a goal's best target gets its goal's score."""
        featurizer = self.featurizer
        aurora_targets = {target for _goal, target, _words in parts["hits"]}
        fit = 0.5 * parts["target_emb"] + 0.5 * parts["target_tfidf"]
        fit += np.array([0.2 if t in aurora_targets else 0.0 for t in featurizer.targets])
        found = []
        for goal in goals:
            mask = featurizer.target_goals == goal
            best = fit[mask].max()
            if best <= 0:
                continue
            for i in np.flatnonzero(mask):
                share = max(fit[i], 0) / best
                found.append((float(scores[goal - 1]) * share, featurizer.targets[i]))
        found.sort(reverse=True)
        return [{"target": t, "score": round(float(s), 3)} for s, t in found[:MAX_TARGETS] if s > 0]


@lru_cache(maxsize=1)
def suggester():
    return Suggester.load()


def suggest(text):
    """Suggested goals and targets for a text: {"goals": [...], "targets": [...], "about": [...]}.

    Each goal has a score in [0, 1], and the words and the sentence that support it."""
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    return suggester().suggest(text)


def suggest_many(texts):
    """`suggest` for each of several texts, computed together (faster for a batch)."""
    if not all(isinstance(text, str) for text in texts):
        raise TypeError("texts must be strings")
    return suggester().suggest_many(list(texts))
