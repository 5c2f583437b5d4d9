"""End to end: Prometheus scrapes the bundled example and fires the generated alerts.

A child process serves the example service (`examples/service`, Flask app from
`bazaar.api.app.create_app`) with werkzeug's WSGI server on a loopback port,
started the way a deployment of it would be: the core registry loaded from the
example's `[tool.errkit]` and errkit's metrics under the example's namespace.
The test makes errkit record failures through the example's own code:

- over HTTP, a verified buyer without a ledger account orders compute, so the
  escrow raises `CodedKeyError` (`escrow:511`), which escapes the view and is
  answered and counted by errkit's Flask integration;
- on a command line of the child, a hold is settled twice with
  `EscrowService.settle_async`, whose `errkit.watch` records the second
  capture's `HoldAlreadySettled` (`escrow:541`) as a recovered failure.

The test reads the exact counts at the example's `/metrics`, then starts a
`prometheus` server on another loopback port with the rules of
`errkit alerts examples/service` (short windows), scraping every second, and polls
its HTTP API until the alerts are firing. Everything is bounded in time and
killed at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from errkit.analysis._yaml import dump_yaml

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

#: The whole wait for the alerts, well under a minute.
DEADLINE_SECONDS = 45.0

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"
NAMESPACE: str = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["tool"][
    "errkit"
]["namespace"]

#: The example served by a real WSGI server. Commands on stdin: ``settle``
#: makes one recovered background failure and answers once errkit reported it.
SERVICE = """\
import queue
import sys
import threading

sys.path.insert(0, sys.argv[1])
from werkzeug.serving import make_server

import errkit
from bazaar.api.app import create_app
from bazaar.api.services import build_services

errkit.configure_registry(sys.argv[1])
errkit.configure_metrics(namespace=sys.argv[2])
reported = queue.Queue()
errkit.add_failure_handler(reported.put)

services = build_services()
services.ledger.open_account("lin", 1_000)
services.ledger.open_account("ada")
server = make_server("127.0.0.1", 0, create_app(services), threaded=True)
print(server.server_port, flush=True)

def settle_twice():
    hold = services.escrow.place_hold("lin", 10, ttl=60.0)
    services.escrow.settle_async(hold.id, "ada").result(timeout=10)
    services.escrow.settle_async(hold.id, "ada")
    failure = reported.get(timeout=10)
    return f"{failure.context} {type(failure.exc).__name__}"

threading.Thread(target=server.serve_forever, daemon=True).start()
for line in sys.stdin:
    if line.strip() == "settle":
        print(settle_twice(), flush=True)
"""

PASSPORT = {
    "type": "passport",
    "number": "C01X00T47",
    "country": "FR",
    "holder": "Grace Hopper",
    "expires": "2099-12-31",
}
ORDER = {"account": "ghost", "side": "buy", "gpu": "a100", "hours": 1, "price": 100}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.loads(response.read())


def _post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST ``body`` as JSON; the status and the decoded answer, errors included."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def _stop(proc: subprocess.Popen[str]) -> None:
    """Terminate `proc` (kill it if it lingers) and close its pipes."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


class Example:
    """The example service in its child process: its URL and its command pipe."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def failed_order(self) -> None:
        """One order that errkit's Flask integration answers and counts."""
        status, body = _post(f"{self.url}/orders", ORDER)
        assert (status, body["code"]) == (404, "escrow:511"), body

    def recovered_failure(self) -> None:
        """One background failure that `errkit.watch` recovers and reports."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("settle\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer == "escrow:settle_async HoldAlreadySettled"

    def metrics(self) -> dict[str, float]:
        """errkit's series at the example's ``/metrics``: sample line -> value."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=5) as response:
            text = response.read().decode()
        ours = (f"{NAMESPACE}_errors_total{{", f"{NAMESPACE}_panics_recovered_total{{")
        return {
            name: float(value)
            for name, value in (
                line.rsplit(" ", 1)
                for line in text.splitlines()
                if line.startswith(ours)
            )
        }


@pytest.fixture
def example(tmp_path: Path) -> Iterator[Example]:
    """The example served on loopback, with a verified buyer who has no account."""
    script = tmp_path / "serve_example.py"
    script.write_text(SERVICE)
    log = open(tmp_path / "example.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(EXAMPLE), NAMESPACE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.strip().isdigit():
            proc.wait(timeout=10)
            text = (tmp_path / "example.log").read_text()
            pytest.fail(f"the example service did not start:\n{line}{text}")
        service = Example(proc, int(line))
        assert _post(f"{service.url}/identity/ghost", PASSPORT)[0] == 200
        yield service
    finally:
        _stop(proc)
        log.close()


def _rules(tmp_path: Path) -> Path:
    """The example's generated rules with windows short enough for a test."""
    rules = tmp_path / "rules.yml"
    command = [sys.executable, "-m", "errkit.cli", "alerts", str(EXAMPLE)]
    options = ["--window", "10s", "--for", "0s", "--error-rate-warning", "0.1"]
    proc = subprocess.run(
        [*command, *options, "--output", str(rules)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return rules


@pytest.fixture
def prometheus(tmp_path: Path, prometheus_bin: str, example: Example) -> Iterator[str]:
    """A Prometheus server scraping the example each second; yields its base URL."""
    rules = _rules(tmp_path)
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [rules.name],
        "scrape_configs": [
            {
                "job_name": "bazaar",
                "static_configs": [{"targets": [f"127.0.0.1:{example.port}"]}],
            }
        ],
    }
    (tmp_path / "prometheus.yml").write_text(dump_yaml(config))
    port = _free_port()
    log = open(tmp_path / "prometheus.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [
            prometheus_bin,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)
        log.close()


def _firing(base: str) -> dict[str, dict[str, str]]:
    """Firing alerts by name, with their labels; {} while Prometheus starts."""
    try:
        data = _get(f"{base}/api/v1/alerts")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return {}
    return {
        a["labels"]["alertname"]: a["labels"]
        for a in data["data"]["alerts"]
        if a["state"] == "firing"
    }


def _label_set(**labels: str) -> str:
    return "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


class TestExampleFiresAlertsInPrometheus:
    def test_example_metrics_count_the_failures_exactly(self, example: Example) -> None:
        """Three failed orders and two recovered failures are counted exactly."""
        for _ in range(3):
            example.failed_order()
        for _ in range(2):
            example.recovered_failure()

        errors = f"{NAMESPACE}_errors_total"
        assert example.metrics() == {
            errors
            + _label_set(
                category="not_found", code="511", module="escrow", severity="warning"
            ): 3.0,
            errors
            + _label_set(
                category="state", code="541", module="escrow", severity="error"
            ): 2.0,
            f"{NAMESPACE}_panics_recovered_total"
            + _label_set(context="escrow:settle_async"): 2.0,
        }

    def test_example_failures_fire_the_generated_alerts(
        self, tmp_path: Path, example: Example, prometheus: str
    ) -> None:
        """The example's failures make its error-rate and recovery alerts fire."""
        prefix = NAMESPACE.capitalize()
        wanted = {f"{prefix}ErrorRateHigh", f"{prefix}RecoveredFailure"}
        firing: dict[str, dict[str, str]] = {}
        deadline = time.monotonic() + DEADLINE_SECONDS

        example.recovered_failure()
        while time.monotonic() < deadline and not wanted <= firing.keys():
            example.failed_order()
            time.sleep(0.5)
            firing = _firing(prometheus)

        logs = (tmp_path / "prometheus.log").read_text()[-3000:]
        assert wanted <= firing.keys(), f"firing: {firing}\nprometheus log:\n{logs}"
        assert firing[f"{prefix}RecoveredFailure"] == {
            "alertname": f"{prefix}RecoveredFailure",
            "context": "escrow:settle_async",
            "severity": "warning",
        }
        assert firing[f"{prefix}ErrorRateHigh"] == {
            "alertname": f"{prefix}ErrorRateHigh",
            "severity": "warning",
        }
