"""The one family of errors meant for users.

Raise these with a plain, complete sentence (Chinese or English). Only the CLI and the UI
turn them into messages; everything else lets them propagate.
"""


class AssistantError(Exception):
    """A problem the user can fix: bad input, a missing index, an unreachable server."""


class InputError(AssistantError):
    """A file, message or option the user gave cannot be used."""


class IndexMissingError(AssistantError):
    """The search index has not been built yet (or was built with other settings)."""


class ServiceUnavailableError(AssistantError):
    """A configured server (Chroma, the LLM endpoint, the database) cannot be reached."""
