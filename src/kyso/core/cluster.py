"""`make cluster` (`python -m kyso.core.cluster`): a Kyso cluster on this one machine — N web nodes (`kyso serve`,
gunicorn, each on its own port) and M job workers (Celery on Redis) against the local PostgreSQL and Redis.

Each process gets a private data directory of its own (scratch only: CRL files rebuilt from the database, the
local copy of audit checkpoints, fonts), as a separate machine would. Everything that matters is shared, as
docs/deploy.md describes for real machines: the database (PostgreSQL), sessions and cache (Redis,
`KYSO_REDIS_URL`), jobs (Celery on Redis, `KYSO_CELERY_BROKER`; the schedule in the database), the archive
(`KYSO_ARCHIVE_DIR`, standing in for the shared object store), the key store (`KYSO_KEYSTORE_DIR` and
`KYSO_SOFTHSM_DIR`, standing in for the HSM) and the secrets (one 0600 file each, `KYSO_*_FILE`).

No Django here: the nodes are separate processes, configured only by their environment. The kill test
(`core/tests/test_cluster.py`) drives the same class.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

PG_SERVER = os.environ.get("KYSO_CLUSTER_PG", "postgresql://postgres@127.0.0.1:5432/")
REDIS_SERVER = os.environ.get("KYSO_CLUSTER_REDIS", "redis://127.0.0.1:6379")
SECRET_NAMES = ("KYSO_SECRET_KEY", "KYSO_KEYSTORE_PASSPHRASE", "KYSO_SAD_KEY", "KYSO_MSSP_PASSWORD")
PY = sys.executable


def unavailable() -> str:
    """Why a cluster cannot run here ('' when PostgreSQL and Redis both answer)."""
    try:
        psycopg.connect(PG_SERVER + "postgres", connect_timeout=2).close()
    except psycopg.Error as exc:
        return f"PostgreSQL does not answer at {PG_SERVER}: {str(exc).strip()[:200]}"
    try:
        redis.Redis.from_url(REDIS_SERVER, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        return f"Redis does not answer at {REDIS_SERVER}: {exc}"
    return ""


def _pg(sql: str) -> None:
    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as con:
        con.execute(sql)


def _database_exists(name: str) -> bool:
    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as con:
        return con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


@dataclass
class Process:
    name: str
    kind: str                     # "node" or "worker"
    popen: subprocess.Popen
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """As a machine dies: SIGKILL to the whole process group (gunicorn, its workers, its job scheduler)."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()


@dataclass
class Cluster:
    root: Path
    database: str = "kyso_cluster"
    redis_db: int = 0             # the cache and sessions; the broker is on redis_db + 1
    queue: str = "kyso-cluster"
    base_port: int = 8101
    gunicorn_workers: int = 2
    processes: list[Process] = field(default_factory=list)

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        self.shared = self.root / "shared"

    # ------------------------------------------------------------------ environment
    def _secrets(self) -> dict[str, str]:
        folder = self.shared / "secrets"
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        env = {}
        for name in SECRET_NAMES:
            path = folder / name.lower()
            if not path.exists():
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_urlsafe(48))
            env[f"{name}_FILE"] = str(path)
        return env

    def env(self, name: str, **extra) -> dict[str, str]:
        """The environment of one process: shared services and secrets, a private data directory."""
        private = self.root / name
        private.mkdir(parents=True, exist_ok=True)
        if (self.shared / "static").exists() and not (private / "static").exists():
            (private / "static").symlink_to(self.shared / "static")
        base = {k: v for k, v in os.environ.items() if not k.startswith(("KYSO_", "DJANGO_", "DATABASE_URL", "SOFTHSM2_"))}
        return {
            **base, **self._secrets(),
            "DJANGO_SETTINGS_MODULE": "kyso.settings",
            "DATABASE_URL": PG_SERVER + self.database,
            "KYSO_DATA_DIR": str(private),
            "KYSO_REDIS_URL": f"{REDIS_SERVER}/{self.redis_db}",
            "KYSO_CACHE_PREFIX": self.queue,
            "KYSO_CELERY_BROKER": f"{REDIS_SERVER}/{self.redis_db + 1}",
            "KYSO_CELERY_QUEUE": self.queue,
            "KYSO_ARCHIVE": "dir",
            "KYSO_ARCHIVE_DIR": str(self.shared / "archive"),
            "KYSO_KEYSTORE_DIR": str(self.shared / "keys"),
            "KYSO_SOFTHSM_DIR": str(self.shared / "softhsm"),
            "KYSO_BASE_URL": f"http://127.0.0.1:{self.base_port}",
            "KYSO_SECURE_COOKIES": "0",            # plain HTTP on this machine; TLS ends at the load balancer
            "KYSO_LOG_LEVEL": os.environ.get("KYSO_LOG_LEVEL", "WARNING"),
            "KYSO_JOBS_STALE_SECONDS": os.environ.get("KYSO_JOBS_STALE_SECONDS", "10"),
            **extra,
        }

    def kyso(self, *args, name: str = "admin", timeout: float = 900) -> subprocess.CompletedProcess:
        out = subprocess.run([PY, "-m", "kyso.cli", *args], env=self.env(name), capture_output=True, text=True,
                             timeout=timeout)
        if out.returncode:
            raise RuntimeError(f"kyso {' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        return out

    # ------------------------------------------------------------------ life cycle
    def prepare(self, *, fresh: bool = False) -> None:
        """The database created (once), migrated, with the demo organisation loaded on first use."""
        if fresh and _database_exists(self.database):
            _pg(f"DROP DATABASE {self.database} WITH (FORCE)")
        created = not _database_exists(self.database)
        if created:
            _pg(f"CREATE DATABASE {self.database}")
        self.kyso("migrate", "--no-input")
        if created or not (self.shared / "demo-loaded").exists():
            self.kyso("demo")
            (self.shared / "demo-loaded").write_text(self.database)
        if not (self.shared / "static").exists():       # part of the release: built once, the same on every node
            self.kyso("collectstatic", "--no-input", "--verbosity", "0", name="build")
            os.replace(self.root / "build" / "static", self.shared / "static")

    def _start(self, name: str, kind: str, argv: list[str], port: int = 0, **extra) -> Process:
        log = open(self.root / f"{name}.log", "ab")
        popen = subprocess.Popen(argv, env=self.env(name, **extra), stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)   # its own process group: killed as one machine
        log.close()
        proc = Process(name, kind, popen, port)
        self.processes.append(proc)
        return proc

    def start_node(self, i: int) -> Process:
        port = self.base_port + i - 1
        return self._start(f"node{i}", "node", [PY, "-m", "kyso.cli", "serve", "--port", str(port),
                                                "--workers", str(self.gunicorn_workers)], port=port)

    def start_worker(self, i: int) -> Process:
        celery = str(Path(PY).parent / "celery")
        return self._start(f"worker{i}", "worker", [
            celery, "-A", "kyso.celery", "worker", "--pool=solo", "--concurrency=1", "--without-heartbeat",
            "--without-gossip", "--without-mingle", "--loglevel=WARNING", "-Q", self.queue, "-n", f"worker{i}@%h"])

    def wait_ready(self, proc: Process, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if not proc.alive():
                raise RuntimeError(f"{proc.name} exited ({proc.popen.returncode}); see {self.root / proc.name}.log")
            try:
                with urllib.request.urlopen(proc.url + "/healthz", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{proc.name} not ready after {timeout:.0f} s; see {self.root / proc.name}.log")
            time.sleep(0.5)

    def start(self, nodes: int = 2, workers: int = 2) -> None:
        started = [self.start_node(i) for i in range(1, nodes + 1)]
        for i in range(1, workers + 1):
            self.start_worker(i)
        for proc in started:
            self.wait_ready(proc)

    def stop(self) -> None:
        for proc in self.processes:
            if proc.alive():
                try:
                    os.killpg(proc.popen.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.processes:
            try:
                proc.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.join(os.environ.get("KYSO_DATA_DIR", "var"), "cluster"))
    parser.add_argument("--database", default="kyso_cluster")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--fresh", action="store_true", help="drop the database and start from the demo again")
    opts = parser.parse_args(argv)
    why = unavailable()
    if why:
        print(f"make cluster: {why}", file=sys.stderr)
        return 2
    cluster = Cluster(Path(opts.root), database=opts.database, base_port=opts.port)
    print(f"Kyso cluster in {cluster.root}: database {opts.database}, Redis {REDIS_SERVER}/{cluster.redis_db}"
          f" (cache, sessions) and /{cluster.redis_db + 1} (jobs)")
    cluster.prepare(fresh=opts.fresh)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *a: stopping.append(1))
    try:
        cluster.start(opts.nodes, opts.workers)
        for proc in cluster.processes:
            where = proc.url if proc.kind == "node" else "Celery, queue " + cluster.queue
            print(f"  {proc.name:8} pid {proc.popen.pid:<7} {where}   log {cluster.root / proc.name}.log")
        print("Ctrl-C stops every process.")
        while not stopping and all(p.alive() for p in cluster.processes):
            time.sleep(1)
        for proc in cluster.processes:
            if not proc.alive():
                print(f"{proc.name} stopped (exit {proc.popen.returncode}): stopping the cluster", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
