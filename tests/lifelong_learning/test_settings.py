"""Settings: production passes the deployment checklist, development is safe."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _clean_environ() -> dict[str, str]:
    """The environment without what the test run itself sets."""
    dropped = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _check_deploy(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        **_clean_environ(),
        "DJANGO_SETTINGS_MODULE": "lifelong_learning.settings.production",
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _check_deploy(
        {
            "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1520",
            "ALLOWED_HOSTS": "portal.example.vn",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _clean_environ()
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "lifelong_learning.settings.production",
            "ALLOWED_HOSTS": "portal.example.vn",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_vietnamese_is_the_default_language_with_english_available(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
