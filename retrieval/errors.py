"""The retrieval layer's own errors.  `retrieval/` imports nothing from `anpo`; the core
(`anpo.service` / `anpo.indexing`) translates these into the project's errors.  Every
message is one plain sentence for a person."""


class RetrievalError(Exception):
    """Base class for everything the retrieval layer raises on purpose."""


class IndexMissing(RetrievalError):
    """No index generation exists yet."""


class IndexCorrupt(RetrievalError):
    """An index file cannot be read or does not match what this version expects."""


class IndexOutdated(IndexCorrupt):
    """The index was written by another version of this program (its format differs)."""


class StoreUnavailable(RetrievalError):
    """A vector store server or an embedding model cannot be reached or loaded."""


class SourceUnreadable(RetrievalError):
    """A source file cannot be read or parsed; names the file and the reason."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class DuplicateDocId(RetrievalError):
    """Two documents claim the same id."""
