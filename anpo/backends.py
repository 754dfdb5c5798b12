"""Answering backends found by name.  "extractive" is the offline default; "openai"
(any OpenAI-compatible endpoint) and "ollama" go through LangChain and are off unless
a setting names them, because sending controlled technical data to an outside service
can itself be a technology transfer."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, Sequence

from anpo.answering import Draft, ExtractiveBackend, Support
from anpo.errors import BackendUnavailableError, UnknownBackendError
from anpo.settings import REPO_ROOT, Settings
from retrieval.types import Hit


class Backend(Protocol):
    name: str

    def answer(self, question: str, hits: Sequence[Hit], support: Support) -> Draft:
        """Text whose [n] markers refer to the 1-based position of the passage in `hits`."""


class LangChainChatBackend:
    """Asks a chat model (through LangChain) to answer from the numbered passages."""

    def __init__(self, name: str, make_model: Callable[[], object], prompt_path: Path):
        self.name = name
        self._make_model = make_model
        self._model = None
        self._template = prompt_path.read_text(encoding="utf-8")

    def answer(self, question, hits, support):
        if self._model is None:
            self._model = self._make_model()
        passages = "\n\n".join(
            f"[{i}] {h.chunk.title}（{h.chunk.locator}）\n<<<\n{h.chunk.text}\n>>>" for i, h in enumerate(hits, 1))
        prompt = self._template.format(question=question, passages=passages)
        try:
            reply = self._model.invoke(prompt)
        except Exception as e:  # network and client errors of any provider
            raise BackendUnavailableError(f"the '{self.name}' backend did not answer ({e.__class__.__name__}); "
                                          "check its URL and model, or use the default 'extractive' backend") from e
        text = getattr(reply, "content", reply)
        return Draft(str(text).strip(), {})


def _openai(settings: Settings) -> Backend:
    def make():
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as e:
            raise BackendUnavailableError("the 'openai' backend needs the package langchain-openai") from e
        if not settings.llm_model:
            raise BackendUnavailableError("set ANPO_LLM_MODEL (and ANPO_LLM_BASE_URL) to use the 'openai' backend")
        return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url or None,
                          api_key=settings.llm_api_key or "not-needed", temperature=0, timeout=60)
    return LangChainChatBackend("openai", make, REPO_ROOT / "prompts" / "answer.txt")


def _ollama(settings: Settings) -> Backend:
    def make():
        try:
            from langchain_ollama import ChatOllama
        except ImportError as e:
            raise BackendUnavailableError("the 'ollama' backend needs the package langchain-ollama") from e
        return ChatOllama(model=settings.llm_model or "qwen2.5:7b",
                          base_url=settings.llm_base_url or "http://127.0.0.1:11434", temperature=0)
    return LangChainChatBackend("ollama", make, REPO_ROOT / "prompts" / "answer.txt")


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
