"""The project itself: migrations complete, production settings pass Django's deploy check.

That migrations apply from zero is shown by the session's test database itself, which
pytest-django builds by running every migration on the engine DATABASE_URL names (SQLite,
and PostgreSQL in CI)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_search_migrations_use_no_code_of_the_day():
    # A migration runs years after it was written: it may use the historical models it is
    # given and its own code, never the project's current modules (the analysis, the engines),
    # whose behaviour changes.
    apps = (
        "experiments",
        "kennisbank",
        "vocabulary",
        "editorial",
        "loket",
        "alerts",
        "opendata",
        "search",
        "website",
    )
    offenders = []
    for migration in ROOT.glob("search/migrations/0*.py"):
        for line in migration.read_text().splitlines():
            words = line.split()
            if words[:1] in (["from"], ["import"]) and words[1].split(".")[0] in apps:
                offenders.append(f"{migration.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []


def _manage(*args, env_overrides):
    # Start from the machine's environment without the test settings' own choices.
    ours = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "website.settings.base"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "kennisloket.example.org",
            "WAGTAILADMIN_BASE_URL": "https://kennisloket.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_overrides={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_publiccode_yml_describes_this_release():
    import tomllib

    import yaml

    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert publiccode["softwareVersion"] == project["version"]
    assert publiccode["legal"]["license"] == project["license"]
    for language in ("nl", "en"):
        description = publiccode["description"][language]
        assert len(description["shortDescription"]) <= 150  # the standard's limit
        assert len(description["longDescription"]) >= 150
