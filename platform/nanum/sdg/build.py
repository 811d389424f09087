"""Train the suggester's weights (data/model.npz) from Nanum's own training texts.

`nanum sdg build` runs this. It needs scikit-learn (`pip install -e '.[sdg-build]'`); the
suggester itself needs only numpy. The training texts are bench/sdg/train.jsonl (each with the
goals it is about) and, as extra examples of each goal, the UN's own target texts. Every step is
deterministic, so the same inputs give the same file.
"""

import json

import numpy as np

from nanum.sdg import features
from nanum.sdg.features import GOALS
from nanum.sdg.model import MODEL

C_VALUES = (0.03, 0.1, 0.3, 1.0)
FOLDS = 5
TARGET_WEIGHT = 0.5
THRESHOLD_RANGE = (0.15, 0.7)


def read_training(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                texts.append(item["text"])
                labels.append(set(item["goals"]))
    return texts, labels


def _best_threshold(probabilities, truth):
    """The threshold with the best F1 on held-out folds, kept within a sensible range."""
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.025):
        predicted = probabilities >= threshold
        tp = np.sum(predicted & truth)
        f1 = 2 * tp / max(predicted.sum() + truth.sum(), 1)
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best, best_f1


def train(path, log=print, use_targets=True):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    texts, labels = read_training(path)
    real = len(texts)
    weights = [1.0] * real
    if use_targets:
        _goals, targets = features.catalogue()
        for target, text in targets.items():
            texts.append(text)
            labels.append({features.goal_of(target)})
            weights.append(TARGET_WEIGHT)
    weights = np.array(weights)
    goals_text, targets_text = features.catalogue()
    tfidf = features.Tfidf.fit(list(goals_text.values()) + list(targets_text.values()) + texts)
    featurizer = features.Featurizer(tfidf)
    log(f"Featurising {len(texts)} texts ({real} written, {len(texts) - real} targets)")
    rows = featurizer.rows(texts)
    scaler = StandardScaler().fit(rows)
    scaled = scaler.transform(rows)

    coef, intercept, thresholds = [], [], []
    for goal in GOALS:
        truth = np.array([goal in labelled for labelled in labels])
        folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=goal).split(scaled, truth))
        best = None
        for c in C_VALUES:
            held_out = np.zeros(len(texts))
            for fit_rows, test_rows in folds:
                model = LogisticRegression(C=c, max_iter=2000)
                model.fit(scaled[fit_rows], truth[fit_rows], sample_weight=weights[fit_rows])
                held_out[test_rows] = model.predict_proba(scaled[test_rows])[:, 1]
            threshold, f1 = _best_threshold(held_out[:real], truth[:real])
            if best is None or f1 > best[0]:
                best = (f1, c, threshold)
        f1, c, threshold = best
        model = LogisticRegression(C=c, max_iter=2000).fit(scaled, truth, sample_weight=weights)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
        thresholds.append(threshold)
        log(f"goal {goal:2d}: C={c:<5} threshold={threshold:.3f} cross-validated F1={f1:.3f}")
    return {
        "vocabulary": np.array(tfidf.vocabulary),
        "idf": tfidf.idf,
        "mean": scaler.mean_.astype(np.float32),
        "scale": scaler.scale_.astype(np.float32),
        "coef": np.array(coef, dtype=np.float32),
        "intercept": np.array(intercept, dtype=np.float32),
        "thresholds": np.array(thresholds, dtype=np.float32),
    }


def build(path, output=MODEL, log=print, use_targets=True):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small problems: threads only contend
        weights = train(path, log=log, use_targets=use_targets)
    np.savez_compressed(output, **weights)
    return output
