"""docker-compose.yml and the Dockerfile run things that exist; production settings are safe.

Docker itself is not needed: the files are parsed, and every command they run is resolved
against the project (management commands, the Celery app, the WSGI application).
"""

import importlib
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
REQUIRED_SERVICES = {"postgres", "redis", "web", "worker", "beat", "mailpit", "minio"}
APP_IMAGE = "newsroom:latest"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def app_services(services) -> dict:
    return {name: s for name, s in services.items() if s.get("image") == APP_IMAGE}


def as_argv(command) -> list[str]:
    return list(command) if isinstance(command, list) else shlex.split(command)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_argv(keyword: str) -> list[str] | None:
    found = [rest for kw, rest in dockerfile_instructions() if kw == keyword]
    if not found:
        return None
    rest = found[-1]  # the last CMD / ENTRYPOINT wins
    return json.loads(rest) if rest.startswith("[") else shlex.split(rest)


def check_runs_something_that_exists(argv: list[str]) -> str:
    """Resolve what a container command runs against the project; return what it checked."""
    program = Path(argv[0]).name
    if program.startswith("python") and argv[1:2] == ["manage.py"]:
        assert (ROOT / "manage.py").is_file()
        command = argv[2]
        assert command in get_commands(), f"manage.py has no {command!r} command"
        return f"manage.py {command}"
    if program == "gunicorn" or (program.startswith("python") and argv[1:3] == ["-m", "gunicorn"]):
        target = next(a for a in argv[1:] if ":" in a and not a.startswith("-") and "." in a)
        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(module_name)
        application = getattr(module, attribute or "application")
        assert callable(application), f"{target} is not a WSGI callable"
        return f"gunicorn {target}"
    if program == "celery" or (program.startswith("python") and argv[1:3] == ["-m", "celery"]):
        app_path = argv[argv.index("-A") + 1]
        app = find_app(app_path)
        assert isinstance(app, Celery), f"-A {app_path} does not name a Celery app"
        assert app.main == "newsroom"
        subcommand = next(a for a in argv[argv.index("-A") + 2 :] if not a.startswith("-"))
        assert subcommand in {"worker", "beat", "inspect"}, subcommand
        return f"celery -A {app_path} {subcommand}"
    raise AssertionError(f"unrecognised command {argv!r}: teach this test what it runs")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} substitution."""

    def substitute(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", substitute, value)


def test_compose_has_every_service_of_the_topology(services):
    assert REQUIRED_SERVICES <= set(services)


def test_every_app_process_runs_from_the_one_image_built_by_the_dockerfile(services, app_services):
    assert {"web", "worker", "beat", "migrate"} <= set(app_services)
    for service in app_services.values():
        assert service["build"]["context"] == "."
        assert (ROOT / service["build"]["dockerfile"]).resolve() == DOCKERFILE
    images = {s.get("image") for s in services.values() if "build" in s}
    assert images == {APP_IMAGE}


def test_each_app_command_points_at_something_in_the_project(app_services):
    checked = {
        name: check_runs_something_that_exists(as_argv(service["command"]))
        for name, service in app_services.items()
    }
    assert checked["web"] == "gunicorn newsroom.wsgi:application"
    assert checked["worker"] == "celery -A newsroom worker"
    assert checked["beat"] == "celery -A newsroom beat"
    assert checked["migrate"] == "manage.py migrate"


def test_app_health_checks_run_real_commands(app_services):
    worker_check = app_services["worker"]["healthcheck"]["test"]
    argv = shlex.split(worker_check[1]) if worker_check[0] == "CMD-SHELL" else worker_check[1:]
    assert check_runs_something_that_exists(argv) == "celery -A newsroom inspect"
    web_check = " ".join(app_services["web"]["healthcheck"]["test"])
    assert "/readyz" in web_check
    from django.urls import resolve

    assert resolve("/readyz").url_name == "readyz"


def test_the_web_server_waits_for_migrations(services):
    assert services["migrate"]["restart"] == "no"
    depends = services["web"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["worker"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_every_service_has_a_health_check_or_waits_for_a_healthy_one(services):
    def healthy(name: str) -> bool:
        check = services[name].get("healthcheck")
        return bool(check and check.get("test") and not check.get("disable"))

    for name, service in services.items():
        depends = service.get("depends_on") or {}
        waits_for_healthy = any(
            isinstance(depends, dict)
            and spec.get("condition") == "service_healthy"
            and healthy(other)
            for other, spec in (depends.items() if isinstance(depends, dict) else [])
        )
        assert healthy(name) or waits_for_healthy, f"{name}: no health check to rely on"
    for name in ("postgres", "redis", "mailpit", "minio", "web", "worker"):
        assert healthy(name), name


def test_mailpit_smtp_and_web_ui_are_bound_to_loopback_only(services):
    ports = [str(p) for p in services["mailpit"]["ports"]]
    assert {p.rsplit(":", 1)[1] for p in ports} == {"1025", "8025"}
    assert all(p.startswith("127.0.0.1:") for p in ports), ports


def test_no_service_publishes_a_port_on_every_interface(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            if isinstance(port, dict):
                assert port.get("host_ip") == "127.0.0.1", (name, port)
            else:
                assert str(port).startswith("127.0.0.1:"), (name, port)


def test_data_lives_in_named_volumes(compose, services):
    declared = set(compose["volumes"])
    assert {"pgdata", "redisdata", "miniodata", "beat"} <= declared
    used = {
        str(v).split(":", 1)[0]
        for service in services.values()
        for v in service.get("volumes", [])
        if not str(v).startswith((".", "/"))
    }
    assert used <= declared
    assert any(str(v).startswith("pgdata:") for v in services["postgres"]["volumes"])


def test_app_services_reach_the_compose_services_and_need_a_secret_key(services, app_services):
    for name, service in app_services.items():
        env = service["environment"]
        assert env["DJANGO_DEBUG"] == "0", name
        assert "${DJANGO_SECRET_KEY:?" in env["DJANGO_SECRET_KEY"], name
        with pytest.raises(KeyError, match="DJANGO_SECRET_KEY"):
            interpolate(env["DJANGO_SECRET_KEY"], {})
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["EMAIL_HOST"] == "mailpit"
        assert env["EMAIL_PORT"] == "1025"
        assert {"postgres", "redis", "mailpit"} <= set(services)


def clean_env() -> dict[str, str]:
    """The test process's environment without any setting of the service."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))
    } | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}


def production_env(tmp_path: Path) -> dict[str, str]:
    return clean_env() | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-real-secret-key-for-this-test-only-0123456789",
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
    }


def run_django(env: dict[str, str], code: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=clean_env() | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_environment_is_a_working_production_configuration(app_services, tmp_path):
    """Django starts with exactly what compose gives the web container, middleware included."""
    env = {
        key: interpolate(str(value), {"DJANGO_SECRET_KEY": "k" * 50})
        for key, value in app_services["web"]["environment"].items()
    }
    env["NEWSROOM_VAR_DIR"] = str(tmp_path)
    result = run_django(
        env,
        "from django.conf import settings\n"
        "from django.core.handlers.wsgi import WSGIHandler\n"
        "WSGIHandler()\n"
        "print(settings.DEBUG, settings.EMAIL_HOST, settings.DATABASES['default']['HOST'],"
        " settings.CELERY_BROKER_URL)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "mailpit", "postgres", "redis://redis:6379/0"]


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = run_django({"DJANGO_DEBUG": "0", "NEWSROOM_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_django(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "news.example.org",
            "DJANGO_SECURE_SSL_REDIRECT": "1",
            "DJANGO_SECURE_HSTS_SECONDS": "31536000",
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            "DJANGO_SECURE_HSTS_PRELOAD": "1",
            "NEWSROOM_VAR_DIR": str(tmp_path),
        },
        "from django.core.management import call_command\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_start_with_a_secret_key_when_debug_is_off(tmp_path):
    result = run_django(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "a-real-secret-key-for-this-test-only-0123456789",
            "NEWSROOM_VAR_DIR": str(tmp_path),
        },
        "from django.conf import settings\nprint(settings.DEBUG, len(settings.SECRET_KEY))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "47"]


def test_dockerfile_builds_the_service_as_the_issue_describes():
    instructions = dockerfile_instructions()
    froms = [rest for kw, rest in instructions if kw == "FROM"]
    assert froms == ["python:3.11-slim"]
    runs = " ".join(rest for kw, rest in instructions if kw == "RUN")
    assert "pip install ." in runs
    collect = re.search(r"python manage\.py (\w+) --noinput", runs)
    assert collect and collect.group(1) == "collectstatic"
    assert "collectstatic" in get_commands()
    users = [rest for kw, rest in instructions if kw == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert re.search(rf"useradd [^&]*\b{re.escape(users[-1])}\b", runs), "USER not created"


def test_volumes_of_the_app_are_directories_the_unprivileged_user_owns(app_services):
    """A new named volume copies the ownership of the image's directory it is mounted on."""
    runs = " ".join(rest for kw, rest in dockerfile_instructions() if kw == "RUN")
    created = set(re.findall(r"mkdir -p ([^&]+)", runs)[0].split())
    owned = re.search(r"chown -R newsroom:newsroom (\S+)", runs).group(1)
    for name, service in app_services.items():
        for volume in service.get("volumes", []):
            target = str(volume).split(":")[1]
            assert target in created, (name, target)
            assert target.startswith(owned + "/"), (name, target)


def test_static_files_collect_with_production_settings(tmp_path):
    """What the image build runs: collectstatic with DEBUG off, admin and API docs included."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=production_env(tmp_path) | {"DJANGO_STATIC_ROOT": str(tmp_path / "static")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "admin" / "css" / "base.css").is_file()
    assert list((tmp_path / "static").glob("drf_spectacular_sidecar/swagger-ui-dist/*.js"))


def test_dockerfile_command_points_at_the_wsgi_application():
    entrypoint = dockerfile_argv("ENTRYPOINT") or []
    cmd = dockerfile_argv("CMD")
    assert cmd, "the Dockerfile has no CMD"
    assert check_runs_something_that_exists(entrypoint + cmd) == (
        "gunicorn newsroom.wsgi:application"
    )
    module = importlib.import_module("newsroom.wsgi")
    assert callable(module.application)


def test_dockerfile_copies_what_exists_and_leaves_secrets_out():
    for keyword, rest in dockerfile_instructions():
        if keyword == "COPY":
            *sources, _target = [p for p in rest.split() if not p.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), source
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git", "var"} <= set(ignored)


MEDIA_VARIABLES = ("NEWSROOM_S3_ENDPOINT_URL", "NEWSROOM_S3_BUCKET")


def test_every_process_that_touches_media_uses_the_object_store(services, app_services):
    """Web (uploads), worker (renditions) and every other app process read and write media in
    the one S3 bucket, or else in a volume that every such process mounts: no media on a
    container's own disk, so the processes may run on different machines."""
    stores = set()
    for name, service in app_services.items():
        env = service["environment"]
        if all(env.get(v) for v in MEDIA_VARIABLES):
            stores.add(tuple(env[v] for v in MEDIA_VARIABLES))
            continue
        mounts = {str(v).split(":")[1] for v in service.get("volumes", [])}
        assert {"/app/var/media", "/app/var/originals"} <= mounts, name
    assert len(stores) == 1, stores
    endpoint, _ = next(iter(stores))
    assert endpoint == "http://minio:9000"
    assert services["minio"]["volumes"][0].startswith("miniodata:")
    init = " ".join(services["minio-init"]["entrypoint"])
    assert "mc mb --ignore-existing" in init
    assert 'anonymous set download "local/$$BUCKET/renditions"' in init
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["minio-init"]["condition"] == "service_completed_successfully", name
    public = interpolate(app_services["web"]["environment"]["NEWSROOM_MEDIA_PUBLIC_URL"], {})
    assert public.startswith("http://127.0.0.1:9000/")
    assert any(str(p).startswith("127.0.0.1:9000:") for p in services["minio"]["ports"])


def test_the_compose_environment_puts_both_media_storages_in_the_bucket(app_services, tmp_path):
    env = {
        key: interpolate(str(value), {"DJANGO_SECRET_KEY": "k" * 50})
        for key, value in app_services["worker"]["environment"].items()
    }
    env["NEWSROOM_VAR_DIR"] = str(tmp_path)
    result = run_django(
        env,
        "from django.core.files.storage import storages\n"
        "o, r = storages['originals'], storages['renditions']\n"
        "print(type(o).__name__, type(r).__name__, o.bucket_name, o.querystring_auth,"
        " r.querystring_auth, r.url('renditions/x.webp'))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "S3Storage",
        "newsroom",
        "True",
        "False",
        "http://127.0.0.1:9000/newsroom/renditions/x.webp",
    ]
