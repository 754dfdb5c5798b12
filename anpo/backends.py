"""Answering backends found by name.  "extractive" is the offline default; "openai"
(any OpenAI-compatible endpoint: vLLM, llama.cpp's llama-server, LM Studio…) and "ollama"
go through LangChain chat models (anpo.llm: claim-checked, falling back to the extractive
answer with a note) and are off unless a setting names them, because sending controlled
technical data to an outside service can itself be a technology transfer (技術提供)."""

from __future__ import annotations

import importlib.util
from typing import Callable, Protocol, Sequence

from anpo.answering import Draft, ExtractiveBackend, Support
from anpo.errors import BackendUnavailableError, UnknownBackendError
from anpo.llm import LLMBackend
from anpo.settings import Settings
from retrieval.types import Hit

OLLAMA_URL = "http://127.0.0.1:11434"


class Backend(Protocol):
    name: str

    def answer(self, question: str, hits: Sequence[Hit], support: Support) -> Draft:
        """Text whose [n] markers refer to the 1-based position of the passage in `hits`.
        LLM backends also take `analysis=` (the analysed question) and have `stream()`."""


def _need(package: str, backend: str) -> None:
    if importlib.util.find_spec(package) is None:
        raise BackendUnavailableError(f"the '{backend}' backend needs the package {package.replace('_', '-')}; "
                                      "install it or use the default 'extractive' backend")


def openai_model(settings: Settings):
    """A ChatOpenAI for any OpenAI-compatible endpoint; the key comes from the environment."""
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url or None,
                      api_key=settings.llm_api_key or "not-needed", temperature=0,
                      timeout=settings.llm_timeout, max_retries=0)


def ollama_model(settings: Settings):
    from langchain_ollama import ChatOllama
    return ChatOllama(model=settings.llm_model or "qwen2.5:7b", base_url=settings.llm_base_url or OLLAMA_URL,
                      temperature=0, client_kwargs={"timeout": settings.llm_timeout})


def _openai(settings: Settings) -> Backend:
    _need("langchain_openai", "openai")
    if not settings.llm_model:
        raise BackendUnavailableError("set ANPO_LLM_MODEL (and ANPO_LLM_BASE_URL) to use the 'openai' backend")
    if not settings.llm_base_url and not settings.llm_api_key:
        raise BackendUnavailableError("set ANPO_LLM_BASE_URL to your OpenAI-compatible server "
                                      "(e.g. http://127.0.0.1:8080/v1) to use the 'openai' backend")
    return LLMBackend("openai", lambda: openai_model(settings), timeout=settings.llm_timeout)


def _ollama(settings: Settings) -> Backend:
    _need("langchain_ollama", "ollama")
    return LLMBackend("ollama", lambda: ollama_model(settings), timeout=settings.llm_timeout)


REGISTRY: dict[str, Callable[[Settings], Backend]] = {
    "extractive": lambda s: ExtractiveBackend(),
    "openai": _openai,
    "ollama": _ollama,
}


def get_backend(name: str, settings: Settings) -> Backend:
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise UnknownBackendError(name, REGISTRY) from None
    return factory(settings)
