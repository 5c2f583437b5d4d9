"""End to end: a real Prometheus scrapes errkit's metrics and fires the generated alerts.

A child process serves errkit's metrics with `prometheus_client` on a loopback
port and, on each command, runs a thread whose target fails under
`errkit.recovered`, so recovery records the failure exactly as in a service.
A `prometheus` server on another loopback port scrapes it every second with
the generated rules (short windows) and the test polls its HTTP API until the
alerts are firing. Everything is bounded in time and killed at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from errkit.analysis._yaml import dump_yaml
from errkit.analysis.alerts import AlertSettings, render_rules

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

#: The whole wait for the alerts, well under a minute.
DEADLINE_SECONDS = 45.0

SERVICE = """\
import sys
import threading

from prometheus_client import start_http_server

import errkit


def flush_usage():
    raise errkit.ExternalError("usage store unreachable", module="usage", code=150)


server, _ = start_http_server(0, addr="127.0.0.1")
print(server.server_port, flush=True)
for line in sys.stdin:
    if line.strip() == "fail":
        worker = threading.Thread(
            target=errkit.recovered(flush_usage, context="usage:flush")
        )
        worker.start()
        worker.join()
        print("failed", flush=True)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.loads(response.read())


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


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """The child process serving errkit metrics, and its port."""
    script = tmp_path / "service.py"
    script.write_text(SERVICE)
    log = open(tmp_path / "service.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, str(script)],
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
            text = (tmp_path / "service.log").read_text()
            pytest.fail(f"the metrics service did not start:\n{line}{text}")
        yield proc, int(line)
    finally:
        _stop(proc)
        log.close()


@pytest.fixture
def prometheus(
    tmp_path: Path, prometheus_bin: str, service: tuple[subprocess.Popen[str], int]
) -> Iterator[str]:
    """A Prometheus server scraping the service each second; yields its base URL."""
    settings = AlertSettings(
        window="10s",
        for_duration="0s",
        recovered_window="30s",
        error_rate_warning=0.1,
    )
    (tmp_path / "rules.yml").write_text(render_rules(settings))
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": ["rules.yml"],
        "scrape_configs": [
            {
                "job_name": "errkit-e2e",
                "static_configs": [{"targets": [f"127.0.0.1:{service[1]}"]}],
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


class TestAlertsFireInPrometheus:
    def test_recovered_failures_fire_the_generated_alerts(
        self,
        tmp_path: Path,
        service: tuple[subprocess.Popen[str], int],
        prometheus: str,
    ) -> None:
        """Failing background work makes the recovery and error-rate alerts fire."""
        proc, _ = service
        assert proc.stdin is not None and proc.stdout is not None
        wanted = {"ErrkitRecoveredFailure", "ErrkitErrorRateHigh"}
        firing: dict[str, dict[str, str]] = {}
        deadline = time.monotonic() + DEADLINE_SECONDS

        while time.monotonic() < deadline and not wanted <= firing.keys():
            proc.stdin.write("fail\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "failed"
            time.sleep(0.5)
            firing = _firing(prometheus)

        logs = (tmp_path / "prometheus.log").read_text()[-3000:]
        assert wanted <= firing.keys(), f"firing: {firing}\nprometheus log:\n{logs}"
        assert firing["ErrkitRecoveredFailure"] == {
            "alertname": "ErrkitRecoveredFailure",
            "context": "usage:flush",
            "severity": "warning",
        }
        assert firing["ErrkitErrorRateHigh"] == {
            "alertname": "ErrkitErrorRateHigh",
            "severity": "warning",
        }
