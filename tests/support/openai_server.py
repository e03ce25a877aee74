"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

It speaks `POST /v1/chat/completions` (plain JSON, and SSE when the request has `"stream": true`)
and `GET /v1/models`. Each request takes the next scripted step; the last step repeats.

    with OpenAIServer() as server:
        server.script(Status(429, headers={"Retry-After": "0.05"}), Reply("您好 [1]"))
        settings = Settings(openai_base_url=server.base_url, ...)
        ...
        assert len(server.requests) == 2

Steps: `Reply(text)`, `Status(code)`, `Hang(seconds)` (answers nothing for that long),
`Malformed()` (200 with a body that is not JSON). Or pass `responder=fn(request_json) -> step`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    """A normal answer; streamed in `chunk_chars` pieces when the client asks for a stream."""

    text: str
    delay_s: float = 0.0
    chunk_chars: int = 4


@dataclass(frozen=True)
class Status:
    """An HTTP error with an OpenAI-style error body."""

    code: int
    message: str = "scripted error"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hang:
    """Say nothing for `seconds` (or until the server stops), then close the connection."""

    seconds: float = 30.0


@dataclass(frozen=True)
class Malformed:
    """A 200 response whose body is not valid JSON."""

    body: str = '{"id": "x", "choices": [ {"message": '


Step = Reply | Status | Hang | Malformed


class OpenAIServer:
    """A scripted `/v1/chat/completions` endpoint on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, responder: Callable[[dict], Step] | None = None, model: str = "test-model"):
        self.model = model
        self.requests: list[dict] = []  # every chat request body, in order
        self._responder = responder
        self._steps: list[Step] = [Reply("您好，微厅客服1229号为您服务。")]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> OpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, *steps: Step, responder: Callable[[dict], Step] | None = None) -> None:
        """Replace the script (and forget recorded requests)."""
        with self._lock:
            self._steps = list(steps) or self._steps
            self._responder = responder
            self.requests.clear()

    def next_step(self, body: dict) -> Step:
        with self._lock:
            self.requests.append(body)
            if self._responder is not None:
                return self._responder(body)
            return self._steps.pop(0) if len(self._steps) > 1 else self._steps[0]

    def wait_or_stop(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _handler_for(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_ChatHandler):
        owner = server

    return Handler


class _ChatHandler(BaseHTTPRequestHandler):
    owner: OpenAIServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: with Nagle on, the second waits for the client's
    # delayed ACK (~40 ms a request on Linux loopback), which is not the server's latency.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list", "data": [{"id": self.owner.model, "object": "model"}]})
        else:
            self._send_json(404, _error_body("not found", 404))

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, _error_body("not found", 404))
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send_json(400, _error_body("body is not JSON", 400))
            return
        step = self.owner.next_step(body)
        self._answer(step, body)

    def _answer(self, step: Step, body: dict) -> None:
        if isinstance(step, Hang):
            self.owner.wait_or_stop(step.seconds)
            self.close_connection = True
            return
        if isinstance(step, Status):
            self._send_json(step.code, _error_body(step.message, step.code), step.headers)
        elif isinstance(step, Malformed):
            self._send_raw(200, step.body.encode(), "application/json")
        else:
            if step.delay_s:
                self.owner.wait_or_stop(step.delay_s)
            if body.get("stream"):
                self._stream(step, body)
            else:
                self._send_json(200, _completion(step.text, body.get("model", self.owner.model)))

    def _stream(self, step: Reply, body: dict) -> None:
        model = body.get("model", self.owner.model)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        pieces = [step.text[i : i + step.chunk_chars] for i in range(0, len(step.text), step.chunk_chars)]
        for index, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if index == 0 else {"content": piece}
            self._event(_chunk(model, delta, None))
        self._event(_chunk(model, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def _event(self, payload: dict) -> None:
        self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()

    def _send_json(self, code: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        self._send_raw(code, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)

    def _send_raw(self, code: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


def _error_body(message: str, code: int) -> dict:
    return {"error": {"message": message, "type": "server_error" if code >= 500 else "invalid_request_error"}}


def _completion(text: str, model: str) -> dict:
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": 10,
            "completion_tokens": max(1, len(text)),
            "total_tokens": 10 + len(text),
        },
    }


def _chunk(model: str, delta: dict, finish: str | None) -> dict:
    return {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
