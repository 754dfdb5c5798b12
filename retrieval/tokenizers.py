"""Tokenisers for the keyword index.  `bigram` (the default) is character bigrams over
NFKC-normalised text; `sudachi` is SudachiPy's dictionary segmentation (mode C, normalised
forms, particles and symbols dropped).  The comparison on our eval sets is in README.md."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from retrieval.textnorm import normalize, tokens as bigram_tokens

_DROP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}


@lru_cache(maxsize=1)
def _sudachi():
    from sudachipy import Dictionary, SplitMode
    return Dictionary(dict="core").create(), SplitMode.C


def sudachi_tokens(text: str, normalized: bool = False) -> list[str]:
    tok, mode = _sudachi()
    t = text if normalized else normalize(text)
    out = []
    for chunk_start in range(0, len(t), 4000):       # sudachi limits input size per call
        for m in tok.tokenize(t[chunk_start:chunk_start + 4000], mode):
            if m.part_of_speech()[0] in _DROP_POS:
                continue
            out.append(m.normalized_form().lower())
    return out


def get_tokenizer(name: str) -> Callable[..., list[str]]:
    if name == "bigram":
        return bigram_tokens
    if name == "sudachi":
        return sudachi_tokens
    raise ValueError(f"unknown tokenizer '{name}'; use 'bigram' or 'sudachi'")
