"""What the suggester sees of a text: word weights, a static embedding, Aurora query hits.

The goal, target and indicator texts are the UN's (data/sdg-translations/, MIT). Embeddings come
from WordLlama, whose wheel ships its weights and tokenizer: it is loaded from the installed
package alone, never from the network.
"""

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
import Stemmer
import yaml

from nanum.sdg import aurora

DATA = Path(__file__).parent / "data" / "sdg-translations"
GOALS = tuple(range(1, 18))
MAX_CHARS = 20_000
_WORD = re.compile(r"[a-z]{2,}")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_STOP = frozenset("""a about above after all also an and any are as at be been being between both
but by can could did do does during each for from had has have how if in into is it its may more
most must no nor not of on or other our out over per should so some such than that the their them
then there these they this those through to under until up upon very was we were what when where
which while who will with within would you your including ensure achieve
proportion number total percentage rate""".split())
_stemmer = Stemmer.Stemmer("english")


def cut(text):
    """A text cut to the length the suggester reads, so that no input costs more."""
    return text[:MAX_CHARS]


def has_words(text):
    return _LETTERS.search(text) is not None


def terms(text):
    """A text's stemmed words, without the commonest ones."""
    return _stemmer.stemWords([w for w in _WORD.findall(text.lower()) if w not in _STOP])


def surface_words(text):
    """Each stem of a text with the first word that gave it, to show words rather than stems."""
    found = {}
    for word in _WORD.findall(text.lower()):
        if word not in _STOP:
            found.setdefault(_stemmer.stemWord(word), word)
    return found


def sentences(text, limit=60):
    found = [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 15]
    return found[:limit] or [text.strip()]


def _read(name):
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def catalogue():
    """Goal texts and target texts: {goal: text}, {"6.1": text} (a target's text with its
    indicators')."""
    goals_yml, targets_yml, indicators_yml = (_read(f"global_{kind}.yml")
                                              for kind in ("goals", "targets", "indicators"))
    goals = {g: f"{goals_yml[f'{g}-short']}. {goals_yml[f'{g}-title']}" for g in GOALS}
    targets = {}
    for key, text in targets_yml.items():
        goal, target = key.split("-")[:2]
        targets[f"{goal}.{target}"] = text
    for key, text in indicators_yml.items():
        goal, target = key.split("-")[:2]
        if f"{goal}.{target}" in targets:
            targets[f"{goal}.{target}"] += " " + text
    return goals, targets


def goal_of(target):
    return int(target.split(".")[0])


class Tfidf:
    """Word weights over a fixed vocabulary with the inverse document frequencies of a corpus."""

    def __init__(self, vocabulary, idf):
        self.vocabulary = list(vocabulary)
        self.index = {term: i for i, term in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)

    @classmethod
    def fit(cls, documents, min_df=2):
        frequencies = Counter(term for doc in documents for term in set(terms(doc)))
        vocabulary = sorted(t for t, n in frequencies.items() if n >= min_df)
        count = len(documents)
        idf = [math.log((1 + count) / (1 + frequencies[t])) + 1 for t in vocabulary]
        return cls(vocabulary, idf)

    def vector(self, text):
        vector = np.zeros(len(self.vocabulary), dtype=np.float32)
        for term, n in Counter(terms(text)).items():
            i = self.index.get(term)
            if i is not None:
                vector[i] = (1 + math.log(n)) * self.idf[i]
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def matrix(self, texts):
        return np.vstack([self.vector(t) for t in texts]) if texts else np.zeros((0, 0))


@lru_cache(maxsize=1)
def embedder():
    import wordllama
    from wordllama import WordLlama

    # The wheel keeps the tokenizer in tokenizers/, where the loader's cache layout looks.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed(texts):
    """Unit vectors for texts (zero for a text without words)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        vectors = np.asarray(embedder().embed(list(texts), norm=True), dtype=np.float32)
    return np.nan_to_num(vectors, nan=0.0)


NEIGHBOURS = 3


def neighbour_features(embedding_sims, word_sims, labels):
    """For each goal, how close a text is to the examples of that goal: the mean of its
    NEIGHBOURS highest similarities and the highest, by embedding and by words.
    The similarities are (texts x examples); labels are (examples x goals) booleans."""
    columns = []
    for sims in (embedding_sims, word_sims):
        for g in range(labels.shape[1]):
            top = -np.sort(-sims[:, labels[:, g]], axis=1)[:, :NEIGHBOURS]
            columns += [top.mean(axis=1), top[:, 0]]
    return np.stack(columns, axis=1).astype(np.float32)


class Featurizer:
    """Turns a text into one feature row, and keeps the parts that explain a suggestion.

    With examples (their embeddings, word vectors and goals), a row also says how close the
    text is to the examples of each goal."""

    def __init__(self, tfidf, examples=None):
        self.tfidf = tfidf
        self.examples = None
        if examples is not None:
            # By word first, so that a text's few words pick out a few rows.
            embeddings, word_vectors, labels = examples
            self.examples = (embeddings, np.ascontiguousarray(word_vectors.T), labels)
        goals, targets = catalogue()
        self.targets = list(targets)
        self.target_goals = np.array([goal_of(t) for t in self.targets])
        goal_docs = [goals[g] + " " + " ".join(t for k, t in targets.items() if goal_of(k) == g)
                     for g in GOALS]
        self.goal_tfidf = tfidf.matrix(goal_docs)
        self.target_tfidf = tfidf.matrix([targets[t] for t in self.targets])
        self.target_emb = embed([targets[t] for t in self.targets])
        goal_emb = np.vstack([self.target_emb[self.target_goals == g].mean(axis=0) for g in GOALS])
        goal_emb += embed([goals[g] for g in GOALS])
        self.goal_emb = goal_emb / np.linalg.norm(goal_emb, axis=1, keepdims=True)

    def _per_goal_max(self, values):
        return np.array([values[self.target_goals == g].max() for g in GOALS])

    def parts(self, text, embedding=None):
        """Everything the model and the explanations need about one text."""
        text = cut(text)
        words = self.tfidf.vector(text)
        vector = embed([text])[0] if embedding is None else embedding
        hits = aurora.hits(text)
        aurora_goals = np.zeros(len(GOALS), dtype=np.float32)
        for goal, _target, _words in hits:
            aurora_goals[goal - 1] += 1
        present = np.flatnonzero(words)
        target_tfidf = self.target_tfidf[:, present] @ words[present]
        target_emb = self.target_emb @ vector
        base = [
            vector,
            self.goal_emb @ vector, self._per_goal_max(target_emb),
            self.goal_tfidf[:, present] @ words[present], self._per_goal_max(target_tfidf),
            np.log1p(aurora_goals),
        ]
        if self.examples is not None:
            embeddings, by_word, labels = self.examples
            word_sims = words[present] @ by_word[present]
            base.append(neighbour_features((embeddings @ vector)[None, :],
                                           word_sims[None, :], labels)[0])
        row = np.concatenate(base).astype(np.float32)
        return {"text": text, "row": row, "words": words, "hits": hits,
                "target_tfidf": target_tfidf, "target_emb": target_emb}

    def rows(self, texts):
        embeddings = embed([cut(t) for t in texts])
        return np.vstack([self.parts(t, e)["row"] for t, e in zip(texts, embeddings, strict=True)])
