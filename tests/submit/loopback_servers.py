"""Loopback HTTP servers implementing just the REST endpoints our real clients call.

Each fake is an `http.server` in a thread on 127.0.0.1 with a free port. It records every request
(method, path, query, JSON body) so tests assert on what the real aiplatform, kfp and
RegistryClient code sent, and it can be told to fail the next N matching requests with a status.
"""

from __future__ import annotations

import hashlib
import http.server
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

Reply = tuple[int, Any]
Handler = Callable[["Recorded", "re.Match[str]"], Reply]


@dataclass(frozen=True)
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Failure:
    """Answer the next `count` requests matching `method` and `pattern` with `status`."""

    method: str
    pattern: str
    status: int
    count: int
    body: Any = None


@dataclass
class LoopbackServer:
    """A route table served on loopback; routes are (method, path regex, handler)."""

    routes: list[tuple[str, str, Handler]]
    requests: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(
        self, method: str, pattern: str, status: int, count: int = 1, body: Any = None
    ) -> None:
        """Make the next `count` matching requests fail with `status`."""
        with self._lock:
            self.failures.append(Failure(method, pattern, status, count, body))

    def received(self, method: str, pattern: str) -> list[Recorded]:
        """The recorded requests with this method whose path matches `pattern`."""
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def answer(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            failure = self._take_failure(request)
        if failure is not None:
            return failure.status, failure.body or _error_body(failure.status)
        for method, pattern, handler in self.routes:
            match = re.fullmatch(pattern, request.path)
            if method == request.method and match:
                return handler(request, match)
        return 404, _error_body(404, f"no fake route for {request.method} {request.path}")

    def _take_failure(self, request: Recorded) -> Failure | None:
        for failure in self.failures:
            if failure.count > 0 and failure.method == request.method and re.search(
                failure.pattern, request.path
            ):
                failure.count -= 1
                return failure
        return None


_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                 404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED",
                 500: "INTERNAL", 503: "UNAVAILABLE"}


def _error_body(status: int, message: str = "") -> dict[str, Any]:
    text = message or f"fake {status} answer"
    return {"error": {"code": status, "message": text,
                      "status": _STATUS_NAMES.get(status, "UNKNOWN")}}


def _handler_class(server: LoopbackServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Recorded(self.command, parts.path, parse_qs(parts.query), body,
                               {k.lower(): v for k, v in self.headers.items()})
            status, payload = server.answer(request)
            raw = payload if isinstance(payload, bytes) else (
                payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
            kind = "application/json" if not isinstance(payload, (bytes, str)) else "text/plain"
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving(server: LoopbackServer) -> Iterator[LoopbackServer]:
    """Run `server` on 127.0.0.1 (free port) for the duration of the block."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(server))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --- Vertex AI (v1 REST, as aiplatform's REST transport calls it) -----------------------------

_LOCATION = r"/v1/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"


@dataclass
class VertexFake:
    """Pipeline jobs and schedules; GETs of a job walk through `job_states`, then stay."""

    job_states: list[str] = field(default_factory=lambda: ["PIPELINE_STATE_SUCCEEDED"])
    failure_message: str = "The DAG failed because some tasks failed: train"
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    schedules: dict[str, dict[str, Any]] = field(default_factory=dict)
    _gets: dict[str, int] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def server(self) -> LoopbackServer:
        return LoopbackServer([
            ("POST", _LOCATION + r"/pipelineJobs", self.create_job),
            ("GET", _LOCATION + r"/pipelineJobs/(?P<id>[^/]+)", self.get_job),
            ("POST", _LOCATION + r"/schedules", self.create_schedule),
            ("GET", _LOCATION + r"/schedules", self.list_schedules),
            ("GET", _LOCATION + r"/schedules/(?P<id>[^/]+)", self.get_schedule),
            ("DELETE", _LOCATION + r"/schedules/(?P<id>[^/]+)", self.delete_schedule),
        ])

    def create_job(self, request: Recorded, match: re.Match[str]) -> Reply:
        job_id = request.query["pipelineJobId"][0]
        name = f"projects/{match['project']}/locations/{match['location']}/pipelineJobs/{job_id}"
        if name in self.jobs:
            return 409, _error_body(409, f"PipelineJob {name} already exists")
        self.jobs[name] = {**request.json, "name": name, "state": "PIPELINE_STATE_PENDING"}
        return 200, self.jobs[name]

    def get_job(self, request: Recorded, match: re.Match[str]) -> Reply:
        name = request.path.removeprefix("/v1/")
        if name not in self.jobs:
            return 404, _error_body(404, f"PipelineJob {name} not found")
        count = self._gets.get(name, 0)
        self._gets[name] = count + 1
        state = self.job_states[min(count, len(self.job_states) - 1)]
        job = {**self.jobs[name], "state": state}
        if state == "PIPELINE_STATE_FAILED":
            job["error"] = {"code": 9, "message": self.failure_message}
        return 200, job

    def create_schedule(self, request: Recorded, match: re.Match[str]) -> Reply:
        number = next(self._ids)
        name = f"projects/{match['project']}/locations/{match['location']}/schedules/{number}"
        self.schedules[name] = {**request.json, "name": name, "state": "ACTIVE"}
        return 200, self.schedules[name]

    def list_schedules(self, request: Recorded, match: re.Match[str]) -> Reply:
        return 200, {"schedules": list(self.schedules.values())}

    def get_schedule(self, request: Recorded, match: re.Match[str]) -> Reply:
        name = request.path.removeprefix("/v1/")
        if name not in self.schedules:
            return 404, _error_body(404, f"Schedule {name} not found")
        return 200, self.schedules[name]

    def delete_schedule(self, request: Recorded, match: re.Match[str]) -> Reply:
        name = request.path.removeprefix("/v1/")
        if self.schedules.pop(name, None) is None:
            return 404, _error_body(404, f"Schedule {name} not found")
        operation = f"{name}/operations/{next(self._ids)}"
        return 200, {"name": operation, "done": True,
                     "response": {"@type": "type.googleapis.com/google.protobuf.Empty"}}


# --- Kubeflow Pipelines API server (v2beta1, as kfp_server_api calls it) ----------------------

_API = "/apis/v2beta1"


@dataclass
class KfpFake:
    """Healthz, experiments, runs and recurring runs; run GETs walk through `run_states`."""

    run_states: list[str] = field(default_factory=lambda: ["SUCCEEDED"])
    experiments: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    recurring: dict[str, dict[str, Any]] = field(default_factory=dict)
    _gets: dict[str, int] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def server(self) -> LoopbackServer:
        return LoopbackServer([
            ("GET", _API + r"/healthz", lambda r, m: (200, {"multi_user": False})),
            ("GET", _API + r"/experiments", self.list_experiments),
            ("POST", _API + r"/experiments", self.create_experiment),
            ("POST", _API + r"/runs", self.create_run),
            ("GET", _API + r"/runs/(?P<id>[^/]+)", self.get_run),
            ("POST", _API + r"/recurringruns", self.create_recurring),
            ("GET", _API + r"/recurringruns", self.list_recurring),
            ("DELETE", _API + r"/recurringruns/(?P<id>[^/]+)", self.delete_recurring),
        ])

    def list_experiments(self, request: Recorded, match: re.Match[str]) -> Reply:
        wanted = None
        if "filter" in request.query:
            predicate = json.loads(request.query["filter"][0])["predicates"][0]
            wanted = predicate.get("string_value") or predicate.get("stringValue")
        found = [e for e in self.experiments.values() if wanted in (None, e["display_name"])]
        return 200, {"experiments": found, "total_size": len(found)}

    def create_experiment(self, request: Recorded, match: re.Match[str]) -> Reply:
        experiment_id = f"exp-{next(self._ids)}"
        self.experiments[experiment_id] = {**request.json, "experiment_id": experiment_id}
        return 200, self.experiments[experiment_id]

    def create_run(self, request: Recorded, match: re.Match[str]) -> Reply:
        run_id = f"run-{next(self._ids)}"
        self.runs[run_id] = {**request.json, "run_id": run_id, "state": "PENDING"}
        return 200, self.runs[run_id]

    def get_run(self, request: Recorded, match: re.Match[str]) -> Reply:
        run_id = match["id"]
        if run_id not in self.runs:
            return 404, {"error_message": f"run {run_id} not found", "code": 5}
        count = self._gets.get(run_id, 0)
        self._gets[run_id] = count + 1
        state = self.run_states[min(count, len(self.run_states) - 1)]
        run = {**self.runs[run_id], "state": state}
        if state == "FAILED":
            run["error"] = {"code": 2, "message": "step train failed"}
        return 200, run

    def create_recurring(self, request: Recorded, match: re.Match[str]) -> Reply:
        recurring_id = f"rr-{next(self._ids)}"
        self.recurring[recurring_id] = {**request.json, "recurring_run_id": recurring_id,
                                        "status": "ENABLED"}
        return 200, self.recurring[recurring_id]

    def list_recurring(self, request: Recorded, match: re.Match[str]) -> Reply:
        return 200, {"recurringRuns": list(self.recurring.values()),
                     "total_size": len(self.recurring)}

    def delete_recurring(self, request: Recorded, match: re.Match[str]) -> Reply:
        if self.recurring.pop(match["id"], None) is None:
            return 404, {"error_message": "recurring run not found", "code": 5}
        return 200, {}


# --- A KFP pipeline registry (RegistryClient's default, non-Google context) -------------------


@dataclass
class RegistryFake:
    """Upload (multipart) and download by tag or digest under `/PROJECT/REPO`."""

    prefix: str = "/my-project/pipelines"
    packages: dict[tuple[str, str], bytes] = field(default_factory=dict)

    def server(self) -> LoopbackServer:
        return LoopbackServer([
            ("POST", re.escape(self.prefix), self.upload),
            ("GET", re.escape(self.prefix) + r"/(?P<package>[^/]+)/(?P<ref>[^/]+)", self.fetch),
        ])

    def upload(self, request: Recorded, match: re.Match[str]) -> Reply:
        content, tags = _multipart(request)
        package = _pipeline_name(content)
        version = "sha256:" + hashlib.sha256(content).hexdigest()
        for reference in [version, *filter(None, tags.split(","))]:
            if reference != version and (package, reference) in self.packages and (
                self.packages[(package, reference)] != content
            ):
                return 409, _error_body(409, f"tag {reference} already exists")
            self.packages[(package, reference)] = content
        return 200, f"{package}/{version}"

    def fetch(self, request: Recorded, match: re.Match[str]) -> Reply:
        content = self.packages.get((match["package"], match["ref"]))
        if content is None:
            return 404, _error_body(404, "package or version not found")
        return 200, content


def _multipart(request: Recorded) -> tuple[bytes, str]:
    """The `content` file and `tags` field of a multipart/form-data upload."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    content, tags = b"", ""
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name == "content":
            content = payload
        elif name == "tags":
            tags = payload.decode()
    return content, tags


def _pipeline_name(content: bytes) -> str:
    return str(yaml.safe_load(content)["pipelineInfo"]["name"])
