"""Text similarity for recurring themes, on sparse vectors: TF-IDF over character 4- and 5-grams
inside words, and average-linkage clustering by cosine distance, one connected component at a time.

It reproduces what scikit-learn's `TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5),
sublinear_tf=True)` and `AgglomerativeClustering(linkage="average", metric="cosine")` give, without
a dense texts × n-grams matrix: two texts are linked when their cosine distance is under the
threshold; average linkage never merges two groups every pair of which is at or past it, so groups
in different components of that graph stay apart, and each component is clustered on its own.
A text linked to no other is a theme of one."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import connected_components

# English stop words, copied from scikit-learn (sklearn/feature_extraction/_stop_words.py), which
# took them from the Glasgow Information Retrieval Group's list.
#   Copyright (c) 2007-2024 The scikit-learn developers. All rights reserved.
#   BSD 3-Clause licence: redistribution and use in source and binary forms, with or without
#   modification, are permitted provided that (1) redistributions of source code retain the above
#   copyright notice, this list of conditions and the following disclaimer; (2) redistributions in
#   binary form reproduce them in the documentation or other materials provided; (3) neither the
#   name of the copyright holder nor the names of its contributors may be used to endorse or promote
#   products derived from this software without specific prior written permission. THIS SOFTWARE IS
#   PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES
#   ARE DISCLAIMED; IN NO EVENT SHALL THEY BE LIABLE FOR ANY DAMAGES ARISING IN ANY WAY OUT OF ITS USE.
_STOP_WORDS = """
    a about above across after afterwards again against all almost alone along already also although always am
    among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside besides
    between beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do
    done down due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone
    everything everywhere except few fifteen fifty fill find fire first five for former formerly forty found
    four from front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into is it its
    itself keep last latter latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next nine no nobody none noone
    nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours
    ourselves out over own part per perhaps please put rather re same see seem seemed seeming seems serious
    several she should show side since sincere six sixty so some somehow someone something sometime sometimes
    somewhere still such system take ten than that the their them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three through throughout
    thru thus to together too top toward towards twelve twenty two un under until up upon us very via was we
    well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will with within without would yet you your
    yours yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_STOP_WORDS.split())

NGRAMS = (4, 5)
SPACES = re.compile(r"\s\s+")
ROWS_AT_ONCE = 1024  # rows of the similarity product made at a time: bounds its memory


def ngrams(text: str, sizes: tuple[int, int] = NGRAMS) -> list[str]:
    """Character n-grams inside words, each word padded with a space either side ("char_wb"); a
    word shorter than the smallest size counts once, whole."""
    out: list[str] = []
    for word in SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(sizes[0], sizes[1] + 1):
            out.extend(padded[i : i + n] for i in range(max(len(padded) - n, 0) + 1))
            if len(padded) <= n:
                break
    return out


def tfidf(texts: list[str]) -> csr_matrix:
    """One L2-normalised row per text: sublinear term frequency (1 + log count) times smoothed
    inverse document frequency (1 + log((1 + texts) / (1 + texts with the n-gram)))."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, text in enumerate(texts):
        for gram, count in Counter(ngrams(text)).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            values.append(1.0 + math.log(count))
    matrix = csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64)
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    matrix.data *= (np.log((1 + len(texts)) / (1 + df)) + 1.0)[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix.data /= np.repeat(np.where(norms == 0, 1.0, norms), np.diff(matrix.indptr))
    return matrix


def _linked(matrix: csr_matrix, threshold: float) -> csr_matrix:
    """The graph of pairs of texts closer than `threshold` in cosine distance."""
    transposed = matrix.T.tocsc()
    parts = []
    for start in range(0, matrix.shape[0], ROWS_AT_ONCE):
        block = (matrix[start : start + ROWS_AT_ONCE] @ transposed).tocsr()
        block.data = np.where(1.0 - block.data < threshold, 1.0, 0.0)
        block.eliminate_zeros()
        parts.append(block)
    return vstack(parts, format="csr") if parts else csr_matrix((0, 0))


def cluster(texts: list[str], threshold: float) -> list[int]:
    """A label for each text: texts whose groups are, on average, closer than `threshold` in cosine
    distance share one. Labels are numbered in the order their first text comes."""
    if len(texts) < 2:
        return list(range(len(texts)))
    matrix = tfidf(texts)
    _, component = connected_components(_linked(matrix, threshold), directed=False)
    labels = np.full(len(texts), -1)
    members: dict[int, list[int]] = {}
    for index, c in enumerate(component):
        members.setdefault(int(c), []).append(index)
    cut = float(np.nextafter(threshold, 0.0))  # merges strictly under the threshold, as scikit-learn
    for rows in members.values():
        if len(rows) == 1:
            flat = np.zeros(1, dtype=int)
        else:
            sub = matrix[rows]
            distances = 1.0 - (sub @ sub.T).toarray()
            np.clip(distances, 0.0, 2.0, out=distances)
            condensed = distances[np.triu_indices(len(rows), k=1)]
            del distances
            flat = fcluster(linkage(condensed, method="average"), cut, criterion="distance") - 1
        labels[rows] = flat + labels.max() + 1
    return _in_order(labels)


def _in_order(labels: np.ndarray) -> list[int]:
    """The same partition, numbered 0, 1, 2… in the order each label first appears."""
    seen: dict[int, int] = {}
    return [seen.setdefault(int(label), len(seen)) for label in labels]
