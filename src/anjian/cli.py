"""The ``anjian`` command: demo, serve, worker, scheduler, manage. Thin: it sets the environment and calls
Django management commands or the production servers."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

SETTINGS = "anjian.settings"


def _data_dir() -> Path:
    raw = os.environ.get("ANJIAN_DATA_DIR")
    return Path(raw).expanduser().resolve() if raw else Path.home() / ".local" / "share" / "anjian"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _secret_file(path: Path, nbytes: int) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(nbytes)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return value


def _demo_password(data_dir: Path) -> str:
    explicit = os.environ.get("ANJIAN_DEMO_PASSWORD")
    if explicit:
        return explicit
    # Generated once, kept in the data directory so later runs print the same logins.
    path = data_dir / "demo-password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = "Aj-" + secrets.token_urlsafe(8).replace("-", "x").replace("_", "y") + "7"
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def _static_fingerprint() -> str:
    """Changes whenever a shipped static file does, so collectstatic runs only when needed."""
    import anjian

    package = Path(anjian.__file__).resolve().parent
    digest = []
    for path in sorted(package.glob("**/static/**/*")):
        if path.is_file():
            stat = path.stat()
            digest.append(f"{path.relative_to(package)}:{stat.st_size}:{int(stat.st_mtime)}")
    import hashlib

    import django
    import ninja

    digest.append(f"django={django.__version__} ninja={ninja.__version__}")
    return hashlib.sha256("\n".join(digest).encode()).hexdigest()


def _collectstatic_if_needed() -> None:
    from django.conf import settings
    from django.core.management import call_command

    if settings.DEBUG:
        return
    stamp = Path(settings.STATIC_ROOT) / ".anjian-fingerprint"
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    print("收集静态文件 collecting static files…", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    stamp.write_text(fingerprint)


def _wait_for_port(host: str, port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _gunicorn_args(bind: str, workers: int, *, access_log: bool) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "anjian.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "120",
        "--graceful-timeout",
        "20",
        "--no-control-socket",  # gunicorn 27's control socket lives in $HOME and clashes between instances
    ]
    if access_log:
        args += ["--access-logfile", "-"]
    return args


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = _data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ANJIAN_DATA_DIR"] = str(data_dir)
    if not os.environ.get("ANJIAN_SECRET_KEY"):
        _secret_file(data_dir / "secret_key", 50)
    os.environ.setdefault("ANJIAN_HTTPS", "0")  # the demo serves plain http on this machine only
    os.environ["ANJIAN_DEMO"] = "1"
    if args.reset and not os.environ.get("ANJIAN_DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"anjian.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.rmtree(data_dir / "media", ignore_errors=True)
    started = time.monotonic()
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if args.reset and os.environ.get("ANJIAN_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    print("准备数据库 preparing the database…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    password = _demo_password(data_dir)
    call_command("seed_demo", password=password)
    _collectstatic_if_needed()
    url = f"http://{args.host}:{args.port}"
    print(_banner(url, password, settings.DATABASES["default"]["NAME"], time.monotonic() - started), flush=True)
    if args.no_serve:
        return 0
    if not _port_free(args.host, args.port):
        print(
            f"端口 {args.port} 已被占用 / port {args.port} is in use: try anjian demo --port 8001",
            file=sys.stderr,
        )
        return 1
    env = dict(os.environ)
    worker = subprocess.Popen([sys.executable, "-m", "anjian", "worker"], env=env)
    server = subprocess.Popen(_gunicorn_args(f"{args.host}:{args.port}", 2, access_log=False), env=env)  # noqa: S603
    children = [server, worker]

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        if _wait_for_port(args.host, args.port):
            print(f"已启动 serving on {url}  (Ctrl-C 停止 to stop)", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return next((c.returncode for c in children if c.returncode), 0) or 0
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


def _banner(url: str, password: str, database: Any, seconds: float) -> str:
    from anjian.web.views.auth import DEMO_PERSONAS

    width = max(len(u) for u, _who in DEMO_PERSONAS)
    lines = [
        "",
        "  安监 anjian — demo",
        f"  地址 URL:       {url}",
        f"  数据库 database: {database}",
        f"  密码 password:  {password}   (所有演示账号 / every demo login)",
        "  账号 logins:",
    ]
    lines += [f"    {username.ljust(width)}  {who}" for username, who in DEMO_PERSONAS]
    lines.append(f"  ready in {seconds:.1f}s")
    return "\n".join(lines)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    _collectstatic_if_needed()
    workers = args.workers or (2 * (os.cpu_count() or 1) + 1)
    os.execv(sys.executable, _gunicorn_args(args.bind, workers, access_log=True))  # noqa: S606
    return 0  # not reached


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("db_worker", "--no-reload", *args.rest)
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("run_scheduler", *(["--once"] if args.once else []))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["anjian manage", *args.rest])
    return 0


def _passthrough(command: str) -> Any:
    """A subcommand whose options all belong to the management command of the same name (it parses them)."""

    def run(args: argparse.Namespace) -> int:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
        from django.core.management import execute_from_command_line

        execute_from_command_line(["anjian", command, *args.rest])
        return 0

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anjian", description="安监 anjian: work-safety supervision platform")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the demo county on SQLite: migrate, load, serve, print the logins")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--reset", action="store_true", help="delete the demo database and load it afresh")
    demo.add_argument("--no-serve", action="store_true", help="prepare the data and exit without serving")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="production web server (gunicorn)")
    serve.add_argument("--bind", default=os.environ.get("ANJIAN_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=0, help="default: 2 × CPUs + 1")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="background job worker")
    worker.add_argument("rest", nargs=argparse.REMAINDER, help="options passed to db_worker")
    worker.set_defaults(func=cmd_worker)

    scheduler = sub.add_parser("scheduler", help="periodic jobs (nightly checks)")
    scheduler.add_argument("--once", action="store_true", help="run what is due now and exit")
    scheduler.set_defaults(func=cmd_scheduler)

    passthrough = {
        "generate": "bulk-load a synthetic province: --preset s|p, or --enterprises N --years Y [--seed S]",
        "bench": "the benchmark suite: latency rows with their raw-SQL floors, the loopback load test (writes data)",
        "summary": "a work summary: --region CODE --from DATE --to DATE --format docx|pdf|md [--output FILE]",
    }
    for name, text in passthrough.items():
        # every option belongs to the management command, which parses them ("+" so argparse takes none)
        command = sub.add_parser(name, help=text, add_help=False, prefix_chars="+")
        command.add_argument("rest", nargs=argparse.REMAINDER)
        command.set_defaults(func=_passthrough(name))

    manage = sub.add_parser("manage", help="any Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
