"""Train the suggester's weights (data/model.npz) from Nanum's own training texts.

`nanum sdg build` runs this. It needs scikit-learn (`pip install -e '.[sdg-build]'`); the
suggester itself needs only numpy. The training texts are bench/sdg/train.jsonl (each with the
goals it is about), bench/sdg_background.jsonl (texts about no goal, though some use a goal's
words) and, as extra examples of each goal, the UN's own target texts. Every step is
deterministic, so the same inputs give the same file.
"""

import json

import numpy as np

from nanum.sdg import features
from nanum.sdg.features import GOALS
from nanum.sdg.model import MODEL

C_VALUES = (0.003, 0.01, 0.03, 0.1)
# A goal is `about` only when it scores at least this share of the text's best goal: the texts
# to judge are often about a neighbouring goal, which the training texts rarely are.
RELATIVE = 0.5
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


def _f1(predicted, truth):
    return 2 * np.sum(predicted & truth) / max(predicted.sum() + truth.sum(), 1)


def _thresholds(probabilities, truth, relative):
    """Per goal, the threshold with the best F1 on held-out folds (within a sensible range),
    when a goal must also score at least `relative` times the text's best goal."""
    leading = probabilities >= relative * probabilities.max(axis=1, keepdims=True)
    choices = np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.025)
    thresholds, scores = [], []
    for g in range(probabilities.shape[1]):
        f1s = [_f1((probabilities[:, g] >= t) & leading[:, g], truth[:, g]) for t in choices]
        thresholds.append(float(choices[int(np.argmax(f1s))]))
        scores.append(max(f1s))
    return np.array(thresholds), float(np.mean(scores))


def _held_out(scaled, truth, weights, c, goal):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    held_out = np.zeros(len(truth))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=goal).split(scaled, truth)
    for fit_rows, test_rows in folds:
        model = LogisticRegression(C=c, max_iter=2000)
        model.fit(scaled[fit_rows], truth[fit_rows], sample_weight=weights[fit_rows])
        held_out[test_rows] = model.predict_proba(scaled[test_rows])[:, 1]
    return held_out


def train(path, log=print, use_targets=True, background=None):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    texts, labels = read_training(path)
    if background is not None:
        more_texts, more_labels = read_training(background)
        texts += more_texts
        labels += more_labels
    real = len(texts)
    weights = [1.0] * real
    goals_text, targets_text = features.catalogue()
    if use_targets:
        for target, text in targets_text.items():
            texts.append(text)
            labels.append({features.goal_of(target)})
            weights.append(TARGET_WEIGHT)
    weights = np.array(weights)
    truth = np.array([[goal in labelled for goal in GOALS] for labelled in labels])
    tfidf = features.Tfidf.fit(list(goals_text.values()) + list(targets_text.values()) + texts)
    log(f"Featurising {len(texts)} texts ({real} written, {len(texts) - real} UN targets)")
    rows = features.Featurizer(tfidf).rows(texts)
    embeddings = features.embed([features.cut(t) for t in texts])
    word_vectors = tfidf.matrix([features.cut(t) for t in texts])
    # Each training text's neighbours are the other examples, as a new text's would be.
    embedding_sims, word_sims = embeddings @ embeddings.T, word_vectors @ word_vectors.T
    np.fill_diagonal(embedding_sims, -1)
    np.fill_diagonal(word_sims, -1)
    rows = np.hstack([rows, features.neighbour_features(embedding_sims, word_sims, truth)])
    scaler = StandardScaler().fit(rows)
    scaled = scaler.transform(rows)

    chosen, held_out = [], np.zeros(truth.shape)
    for g, goal in enumerate(GOALS):
        best = None
        for c in C_VALUES:
            probabilities = _held_out(scaled, truth[:, g], weights, c, goal)
            f1 = max(_f1(probabilities[:real] >= t, truth[:real, g])
                     for t in np.arange(*THRESHOLD_RANGE, 0.025))
            if best is None or f1 > best[0]:
                best = (f1, c, probabilities)
        chosen.append(best[1])
        held_out[:, g] = best[2]
    thresholds, f1 = _thresholds(held_out[:real], truth[:real], RELATIVE)
    log(f"mean cross-validated F1 over goals: {f1:.3f}")

    coef, intercept = [], []
    for g, goal in enumerate(GOALS):
        model = LogisticRegression(C=chosen[g], max_iter=2000)
        model.fit(scaled, truth[:, g], sample_weight=weights)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
        log(f"goal {goal:2d}: C={chosen[g]:<5} threshold={thresholds[g]:.3f}")
    return {
        "vocabulary": np.array(tfidf.vocabulary),
        "idf": tfidf.idf,
        "example_embeddings": embeddings.astype(np.float16),
        "example_words": word_vectors.astype(np.float16),
        "example_goals": truth,
        "mean": scaler.mean_.astype(np.float32),
        "scale": scaler.scale_.astype(np.float32),
        "coef": np.array(coef, dtype=np.float32),
        "intercept": np.array(intercept, dtype=np.float32),
        "thresholds": thresholds.astype(np.float32),
        "relative": np.float32(RELATIVE),
    }


def build(path, output=MODEL, log=print, use_targets=True, background=None):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small problems: threads only contend
        weights = train(path, log=log, use_targets=use_targets, background=background)
    np.savez_compressed(output, **weights)
    return output
