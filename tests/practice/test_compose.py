"""The container set-up refers to things that exist. Docker is not needed: the files are read."""

import importlib
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery import Celery

import practice

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
APP_DIR = "/app"  # the Dockerfile's WORKDIR: the repository root inside the image
SERVICES = {"web", "worker", "beat", "db", "redis", "minio"}
APP_SERVICES = ("web", "worker", "beat")
SECRET_SETTINGS = ("SECRET_KEY", "ALLOWED_HOSTS")


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw_line in DOCKERFILE.read_text().splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, arguments in dockerfile_instructions():
        if keyword == "ENV":
            for pair in shlex.split(arguments):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


def exec_form(arguments: str) -> list[str]:
    """CMD/ENTRYPOINT arguments as a list, whether written as JSON or as a shell line."""
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def dockerfile_command() -> list[str]:
    words: list[str] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword in ("ENTRYPOINT", "CMD"):
            words += exec_form(arguments)
    return words


def command_words(command: str | list[str] | None) -> list[str]:
    """Every word of a command, splitting `sh -c "..."` scripts into their own words too."""
    if command is None:
        return []
    parts = shlex.split(command) if isinstance(command, str) else list(command)
    words: list[str] = []
    for part in parts:
        words += shlex.split(part) if " " in part else [part]
    return words


def all_commands() -> dict[str, list[str]]:
    commands = {name: command_words(svc.get("command")) for name, svc in services().items()}
    commands["Dockerfile"] = dockerfile_command()
    return commands


def services() -> dict[str, dict]:
    return load_compose()["services"]


def option(words: list[str], name: str) -> str:
    for index, word in enumerate(words):
        if word == name:
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    raise AssertionError(f"{name} not found in {words}")


def gunicorn_target(words: list[str]) -> str:
    return next(word for word in words[words.index("gunicorn") + 1 :] if not word.startswith("-"))


def named_volume_mounts(service: dict) -> dict[str, str]:
    """{volume name: container path} for the service's named (not bind-mounted) volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type", "volume") == "volume":
                mounts[volume["source"]] = volume["target"]
            continue
        source, _, rest = volume.partition(":")
        if rest and not source.startswith((".", "/", "~", "$")):
            mounts[source] = rest.split(":")[0]
    return mounts


def to_repository_path(path: str) -> Path:
    """A path as the image sees it, mapped onto this checkout."""
    if path.startswith(APP_DIR + "/"):
        path = path.removeprefix(APP_DIR + "/")
    return ROOT / path


def test_it_defines_the_six_services_without_a_version_key():
    compose = load_compose()

    assert set(compose["services"]) == SERVICES
    assert "version" not in compose


def test_it_defines_every_service_with_a_healthcheck():
    for name, service in services().items():
        check = service.get("healthcheck")
        assert check, f"{name} has no healthcheck"
        assert not check.get("disable"), name
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert len(check["test"]) > 1, name


def test_the_python_healthchecks_are_valid_python():
    for name, service in services().items():
        test = service["healthcheck"]["test"]
        if test[:3] == ["CMD", "python", "-c"]:
            compile(test[3], f"<{name} healthcheck>", "exec")


def test_the_web_healthcheck_asks_for_healthz_as_the_proxy_would():
    test = services()["web"]["healthcheck"]["test"]
    code = test[-1]

    assert test[:2] == ["CMD", "python"]  # the slim image has no curl
    assert "urllib" in code
    assert "/healthz" in code
    assert "ALLOWED_HOSTS" in code  # any other Host header is refused with a 400
    assert "X-Forwarded-Proto" in code  # else production settings redirect to HTTPS


def test_the_app_services_run_the_built_image():
    app_services = [services()[name] for name in APP_SERVICES]
    images = {service.get("image") for service in app_services}

    assert len(images) == 1
    for service in app_services:
        build = service["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (ROOT / context / dockerfile).resolve() == DOCKERFILE
    for name in ("db", "redis"):
        assert "build" not in services()[name]


def test_the_gunicorn_target_is_the_wsgi_application():
    for origin in ("web", "Dockerfile"):
        words = all_commands()[origin]
        target = gunicorn_target(words)
        module, _, attribute = target.partition(":")

        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin, f"{origin}: no module {module}"
        source = Path(spec.origin).read_text()
        assert re.search(rf"^{attribute}\b\s*=|^def {attribute}\b", source, re.MULTILINE), target
        assert option(words, "--bind") == "0.0.0.0:8000"


def test_the_web_service_migrates_before_serving():
    words = all_commands()["web"]

    assert words.index("migrate") < words.index("gunicorn")
    assert "--noinput" in words
    assert words[words.index("gunicorn") - 1] == "exec"  # gunicorn, not sh, receives SIGTERM


def test_the_celery_services_load_the_practice_app():
    from celery.app.utils import find_app

    for name, subcommand in (("worker", "worker"), ("beat", "beat")):
        words = all_commands()[name]
        assert words[0] == "celery"
        assert subcommand in words
        app_name = option(words, "-A")
        module = importlib.import_module(app_name)

        assert isinstance(module.celery_app, Celery)
        assert find_app(app_name) is practice.celery_app  # what `celery -A` resolves


def test_beat_keeps_its_schedule_in_the_app_var_folder():
    schedule = option(all_commands()["beat"], "--schedule")

    # The Dockerfile makes /app/var writable by the app user; the rest of /app is read-only.
    assert schedule.startswith(f"{APP_DIR}/var/")
    run = next(args for key, args in dockerfile_instructions() if key == "RUN" and "chown" in args)
    assert re.search(r"chown \S+ var\b", run)


def test_the_commands_refer_to_files_that_exist():
    referred = [
        (origin, word)
        for origin, words in all_commands().items()
        for word in words
        if word.endswith(".py")
    ]
    referred += [
        ("Dockerfile RUN", word)
        for keyword, arguments in dockerfile_instructions()
        if keyword == "RUN"
        for word in shlex.split(arguments)
        if word.endswith(".py")
    ]

    assert ("web", "manage.py") in referred
    for origin, word in referred:
        assert to_repository_path(word).is_file(), f"{origin} refers to missing {word}"


def test_the_settings_module_is_the_same_everywhere_and_importable():
    compose_settings = {
        services()[name]["environment"]["DJANGO_SETTINGS_MODULE"] for name in APP_SERVICES
    }
    image_settings = dockerfile_env()["DJANGO_SETTINGS_MODULE"]

    assert compose_settings == {image_settings} == {"practice.settings.production"}
    assert importlib.util.find_spec(image_settings) is not None


@pytest.mark.parametrize("setting", SECRET_SETTINGS)
def test_secrets_must_come_from_the_environment(setting):
    for name in APP_SERVICES:
        value = services()[name]["environment"][setting]
        assert re.fullmatch(rf"\$\{{{setting}:\?[^}}]+\}}", value), (name, value)
    assert setting not in dockerfile_env()


def test_the_app_services_share_settings_and_an_optional_env_file():
    for name in APP_SERVICES:
        service = services()[name]
        assert service["env_file"] == [{"path": ".env", "required": False}]
        environment = service["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert "EMAIL_URL" in environment


def test_the_app_services_wait_for_a_healthy_database_and_redis():
    for name in APP_SERVICES:
        depends_on = services()[name]["depends_on"]
        assert depends_on == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "minio": {"condition": "service_healthy"},
        }


def test_every_named_volume_is_declared():
    declared = set(load_compose().get("volumes") or {})
    used = {volume for service in services().values() for volume in named_volume_mounts(service)}

    assert used <= declared
    assert len(used) >= 3  # database, redis and the private files' object store


def test_the_database_and_redis_keep_their_data_in_named_volumes():
    assert "/var/lib/postgresql/data" in named_volume_mounts(services()["db"]).values()
    assert "/data" in named_volume_mounts(services()["redis"]).values()


def test_private_files_live_in_the_object_store_every_node_reads():
    for name in APP_SERVICES:
        environment = services()[name]["environment"]
        assert environment["PRIVATE_STORAGE_BUCKET"]
        assert environment["PRIVATE_STORAGE_ENDPOINT_URL"] == "http://minio:9000"
        assert "/app/var/private" not in named_volume_mounts(services()[name]).values()
    assert "/data" in named_volume_mounts(services()["minio"]).values()
    assert "minio" not in {port.split(":")[0] for port in services()["minio"].get("ports", [])}
    assert "storage_prepare" in " ".join(services()["web"]["command"])
    # Collected static files are baked into the image: a volume over them would hide them.
    static_root = services()["web"]["environment"]["STATIC_ROOT"]
    assert dockerfile_env()["STATIC_ROOT"] == static_root
    web_mounts = named_volume_mounts(services()["web"])
    assert not any(static_root.startswith(path) for path in web_mounts.values())


def test_the_image_runs_as_a_non_root_user():
    users = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "USER"]

    assert users
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_image_installs_dependencies_before_copying_the_source():
    steps = dockerfile_instructions()
    copy_manifest = steps.index(("COPY", "pyproject.toml ./"))
    install = next(
        i for i, (key, args) in enumerate(steps) if key == "RUN" and "pip install ." in args
    )
    copy_source = steps.index(("COPY", ". ."))

    assert steps[0] == ("FROM", "python:3.11-slim-bookworm")
    assert copy_manifest < install < copy_source


def test_the_image_installs_weasyprint_libraries_without_recommends():
    run = next(
        args for key, args in dockerfile_instructions() if key == "RUN" and "apt-get" in args
    )
    packages = (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "fonts-liberation",
    )

    assert "--no-install-recommends" in run
    for package in packages:
        assert package in run.split()


def test_the_collectstatic_key_exists_only_for_that_step_and_passes_production_checks():
    run = next(args for key, args in dockerfile_instructions() if "collectstatic" in args)
    assignments = dict(
        word.split("=", 1) for word in shlex.split(run.split("python")[0]) if "=" in word
    )

    assert set(SECRET_SETTINGS) <= set(assignments)
    key = assignments["SECRET_KEY"]
    assert len(key) >= 50 and not key.startswith(("dev-", "django-insecure"))
    assert dockerfile_env()["DJANGO_SETTINGS_MODULE"] == "practice.settings.production"
    assert not any(
        key in arguments for keyword, arguments in dockerfile_instructions() if keyword == "ENV"
    )


def test_the_image_build_collectstatic_step_succeeds(tmp_path):
    """The Dockerfile's collectstatic, run here: production storage fails on a missing file."""
    run = next(args for key, args in dockerfile_instructions() if "collectstatic" in args)
    assignments, _, command = run.partition("python")
    env = {
        **os.environ,
        **dict(word.split("=", 1) for word in shlex.split(assignments)),
        "DJANGO_SETTINGS_MODULE": dockerfile_env()["DJANGO_SETTINGS_MODULE"],
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
    }
    arguments = shlex.split(command.split("&&")[0])

    result = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles" / "staticfiles.json").is_file()


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = {
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {".env", ".venv", "var", ".git"} <= ignored


def test_the_image_exposes_port_8000():
    assert ("EXPOSE", "8000") in dockerfile_instructions()
