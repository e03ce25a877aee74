"""Reusable test helpers: real servers on 127.0.0.1, no mocks of our own code."""

from tests.support.openai_server import Hang, Malformed, OpenAIServer, Reply, Status

__all__ = ["Hang", "Malformed", "OpenAIServer", "Reply", "Status"]
