"""A scripted OpenAI-compatible (and Ollama-compatible) chat server on 127.0.0.1 for tests:
stdlib http.server in a daemon thread, no network.  Each request takes the next reply of
`server.script` (the last one repeats):

- {"content": "…"}      a chat completion (SSE chunks when the request asks to stream)
- {"malformed": True}   a 200 response whose body is not JSON
- {"hang": seconds}     no answer for that long (or until the server stops)
- {"status": 500}       an HTTP error
- {"echo": True}        はい。 + the first sentence of passage [1], cited (a faithful answer)

`/v1/chat/completions` speaks OpenAI's format; `/api/chat` Ollama's NDJSON stream.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):       # keep test output clean
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        server: StubServer = self.server.owner
        server.requests.append({"path": self.path, "body": body})
        reply = server.next_reply()
        if "hang" in reply:
            server.stopping.wait(reply["hang"])
            return self._send(504, b"{}", "application/json")
        if "status" in reply:
            return self._send(reply["status"], b'{"error": {"message": "scripted failure"}}', "application/json")
        if reply.get("malformed"):
            return self._send(200, b'{"id": "x", "choices": [ {"message": oops', "application/json")
        if reply.get("echo"):        # quote the first sentence of passage [1], cited, after はい。
            reply = {"content": _echo(body)}
        if self.path.startswith("/api/chat"):
            return self._ollama(body, reply["content"])
        if body.get("stream"):
            return self._sse(body, reply["content"], reply.get("pieces", 6))
        return self._send(200, json.dumps(_completion(body, reply["content"])).encode(), "application/json")

    def _send(self, status: int, data: bytes, ctype: str):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _sse(self, body, content: str, pieces: int):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        step = max(1, len(content) // pieces)
        parts = [content[i:i + step] for i in range(0, len(content), step)]
        for i, part in enumerate(parts):
            delta = {"role": "assistant", "content": part} if i == 0 else {"content": part}
            self._event(_chunk(body, delta, None))
        self._event(_chunk(body, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def _event(self, obj):
        self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
        self.wfile.flush()

    def _ollama(self, body, content: str):
        lines = [{"model": body.get("model", "m"), "created_at": "2026-01-01T00:00:00Z",
                  "message": {"role": "assistant", "content": content}, "done": False},
                 {"model": body.get("model", "m"), "created_at": "2026-01-01T00:00:00Z",
                  "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                  "total_duration": 1, "eval_count": 1, "prompt_eval_count": 1}]
        data = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
        self._send(200, data, "application/x-ndjson")


def _echo(body) -> str:
    import re
    text = "\n".join(m["content"] for m in body.get("messages", []) if isinstance(m.get("content"), str))
    m = re.search(r"\[1\][^\n]*\n<<<\n(.*?)\n>>>", text, re.S)
    first = re.split(r"(?<=。)", m.group(1).strip())[0] if m else "資料がありません。"
    return f"はい。{first.rstrip('。')} [1]。"


def _completion(body, content):
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "stub"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunk(body, delta, finish):
    return {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model", "stub"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


class StubServer:
    """with StubServer([{"content": "…"}]) as s: … s.url is the OpenAI base URL (…/v1)."""

    def __init__(self, script):
        self.script = list(script)
        self.requests: list[dict] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return self.root + "/v1"

    def next_reply(self) -> dict:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
