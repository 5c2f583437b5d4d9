"""Multiprocess metrics under real forking: multiprocessing and gunicorn (BR-13)."""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

APPS = Path(__file__).parent / "apps"

SKU_SERIES = {
    "module": "shop.catalog",
    "code": "210",
    "category": "not_found",
    "severity": "warning",
}


def sample(text: str, name: str, labels: dict[str, str]) -> float | None:
    """The value of one sample in an exposition text, or None."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and s.labels == labels:
                return s.value
    return None


def run_script(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the exit status is asserted
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


FORK_SCRIPT = """
    import multiprocessing as mp, os
    import errkit
    from prometheus_client import CollectorRegistry, generate_latest, multiprocess

    class Boom(errkit.InternalError, module="jobs", code=460):
        pass

    def worker():
        errkit.record(Boom("worker failed"))

    if __name__ == "__main__":
        if os.environ.get("RECORD_IN_PARENT"):
            errkit.record(Boom("parent failed"))  # before forking, like --preload
        mp.set_start_method("fork")
        procs = [mp.Process(target=worker) for _ in range(3)]
        [p.start() for p in procs]
        [p.join() for p in procs]
        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
        print(generate_latest(reg).decode())
"""

BOOM_SERIES = {
    "module": "jobs",
    "code": "460",
    "category": "internal",
    "severity": "error",
}


class TestForkedWorkers:
    """BR-13: the directory set before start makes forked workers add up."""

    def test_three_workers(self, tmp_path):
        """Three forked workers each recording one error: the scrape reads 3.0."""
        done = run_script(FORK_SCRIPT, {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
        assert done.returncode == 0, done.stderr
        assert sample(done.stdout, "errkit_errors_total", BOOM_SERIES) == 3.0

    def test_parent_records_before_fork(self, tmp_path):
        """The parent's own error before forking is kept: the scrape reads 4.0."""
        done = run_script(
            FORK_SCRIPT,
            {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "RECORD_IN_PARENT": "1"},
        )
        assert done.returncode == 0, done.stderr
        assert sample(done.stdout, "errkit_errors_total", BOOM_SERIES) == 4.0


class TestLateDirectoryWarning:
    """BR-13: a directory set after prometheus_client chose memory warns once."""

    def test_warns_once(self, tmp_path):
        """Two records and a reconfiguration: one warning naming the directory."""
        script = f"""
            import logging, os
            logging.basicConfig(format="%(name)s %(levelname)s %(message)s")
            import prometheus_client            # imported early, by a framework
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = {str(tmp_path)!r}   # too late
            import errkit
            errkit.record(ValueError("a"))
            errkit.configure_metrics(namespace="again")
            errkit.record(ValueError("b"))
        """
        done = run_script(script, {})
        assert done.returncode == 0, done.stderr
        lines = [
            ln for ln in done.stderr.splitlines() if ln.startswith("errkit.metrics")
        ]
        assert len(lines) == 1
        expected = f"PROMETHEUS_MULTIPROC_DIR is set to {str(tmp_path)!r}"
        assert lines[0].startswith(f"errkit.metrics WARNING {expected}")

    def test_no_warning_when_set_before_start(self, tmp_path):
        """Set before the interpreter starts: no warning."""
        script = """
            import logging
            logging.basicConfig(format="%(name)s %(levelname)s %(message)s")
            import errkit
            errkit.record(ValueError("a"))
        """
        done = run_script(script, {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
        assert done.returncode == 0, done.stderr
        assert "errkit.metrics" not in done.stderr


# --- gunicorn --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


class Gunicorn:
    """A gunicorn master with 4 workers on a loopback port, stopped on close."""

    def __init__(self, directory: Path, log: Path, *, preload: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [
            sys.executable, "-m", "gunicorn",
            "--workers", "4",
            "--bind", f"127.0.0.1:{self.port}",
            "--pythonpath", str(APPS),
            "--graceful-timeout", "5",
        ]  # fmt: skip
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
        if preload:
            args.append("--preload")
            env["ERRKIT_TEST_RECORD_AT_IMPORT"] = "1"
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [*args, "errkit_test_wsgi:app"], env=env, stdout=self.log, stderr=self.log
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                get(self.base + "/health")
                return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"gunicorn not ready on port {self.port} in {timeout}s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


@pytest.fixture
def gunicorn(tmp_path) -> Iterator[callable]:
    servers: list[Gunicorn] = []

    def start(*, preload: bool = False) -> Gunicorn:
        directory = tmp_path / "multiproc"
        directory.mkdir()
        server = Gunicorn(directory, tmp_path / "gunicorn.log", preload=preload)
        servers.append(server)
        server.wait_ready()
        return server

    yield start
    for server in servers:
        server.stop()


def drive(server: Gunicorn, path: str, count: int) -> set[str]:
    """Send ``count`` requests, 8 at a time; the set of worker pids that answered."""
    with cf.ThreadPoolExecutor(max_workers=8) as pool:
        return set(pool.map(lambda _: get(server.base + path), range(count)))


@pytest.mark.slow
class TestGunicorn:
    """A real pre-forking server: 4 workers' errors add up in one scrape."""

    def test_summed_counts(self, gunicorn):
        """60 failures and 12 crashes across the workers read 60.0 and 12.0."""
        server = gunicorn()
        pids = drive(server, "/fail", 60) | drive(server, "/crash", 12)
        text = get(server.base + "/metrics")
        assert sample(text, "errkit_errors_total", SKU_SERIES) == 72.0
        assert (
            sample(text, "errkit_panics_recovered_total", {"context": "shop:refresh"})
            == 12.0
        )
        assert len(pids) >= 2  # the work really was spread over several processes

    def test_preload_master_record_is_kept(self, gunicorn):
        """With --preload, the master's error before forking adds one: 40 + 1."""
        server = gunicorn(preload=True)
        drive(server, "/fail", 40)
        text = get(server.base + "/metrics")
        assert sample(text, "errkit_errors_total", SKU_SERIES) == 41.0
