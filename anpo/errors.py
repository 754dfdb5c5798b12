"""The project's few error types.  Only the edges (cli.py, app.py) turn them into
exit codes or messages; the core raises them and never prints or exits."""


class AnpoError(Exception):
    """Base class: every message is one plain sentence for a person."""


class BadInputError(AnpoError):
    """The user gave something we cannot use (empty question, bad option, bad profile)."""


class SourceUnreadableError(BadInputError):
    """A file to ingest could not be read or parsed; names the file and the reason."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IndexMissingError(AnpoError):
    """No usable index exists yet (build it with `anpo index`)."""


class IndexCorruptError(AnpoError):
    """The index on disk cannot be read; rebuild it with `anpo index --rebuild`."""


class StorageError(AnpoError):
    """The data folder cannot be written (read-only, full, permissions); names the folder."""


class BackendUnavailableError(AnpoError):
    """An answering backend is configured but cannot be reached or loaded."""


class UnknownBackendError(BadInputError):
    """A backend name that is not in the registry."""

    def __init__(self, name: str, known):
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown backend '{name}'; known backends: {', '.join(self.known)}")
