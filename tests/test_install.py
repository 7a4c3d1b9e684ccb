"""The wheel is the whole app: built, installed outside the checkout, migrated and served.

The wheel is built from this checkout without build isolation (hatchling is in the dev extras)
and installed with ``--no-deps`` into a fresh virtualenv in a temporary folder; that virtualenv
sees the dependencies of ``.venv`` through a ``.pth`` line (not the checkout: ``.venv``'s
editable-install hook is a ``.pth`` file of its own, which a plain path line does not run).
Everything after the build runs from a temporary folder, so the templates, static files
(``static/vendor`` included), migrations, reference data and translations must all come from
the installed package.
"""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from intake.config import Settings

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys
import intake
from intake.factory import create_app
from intake.documents import letters, pdf
from intake.extensions import db
from sqlalchemy import text

app = create_app()
client = app.test_client()
home = client.get("/")
uswds_css = client.get("/static/vendor/uswds/css/uswds.min.css")
uswds_js = client.get("/static/vendor/uswds/js/uswds.min.js")
app_css = client.get("/static/css/app.css")
client.get("/language/es")
home_es = client.get("/")
with app.app_context():
    counts = {
        table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
        for table in ("states", "counties", "jurisdictions")
    }
    database = str(db.engine.url)
rendered = pdf.render_pdf(
    '<html lang="es"><title>Prueba</title><meta name="author" content="intake">'
    '<h1>Prueba de instalación</h1></html>',
    timeout=60,
)
pdf.default_renderer().close()
print(json.dumps({
    "package": intake.__file__,
    "sys_path": sys.path,
    "template_folder": app.template_folder,
    "static_folder": app.static_folder,
    "migrations": app.extensions["migrate"].directory,
    "instance_path": app.instance_path,
    "database": database,
    "letters": str(letters.BUILT_IN_FOLDER),
    "letter_files": sorted(p.name for p in letters.BUILT_IN_FOLDER.glob("*.txt")),
    "home": [home.status_code, home.get_data(as_text=True)],
    "home_es": [home_es.status_code, home_es.get_data(as_text=True)],
    "uswds_css": [uswds_css.status_code, uswds_css.get_data(as_text=True)[:100000]],
    "uswds_js": [uswds_js.status_code, len(uswds_js.get_data())],
    "app_css": [app_css.status_code, len(app_css.get_data())],
    "counts": counts,
    "pdf": [rendered.data[:5].decode(), rendered.pages, rendered.refused_fetches],
}))
"""


def _clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without anything that would point back at the checkout."""
    drop = set(Settings.model_fields) | {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "FLASK_APP"}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in drop and not key.startswith(("INTAKE_", "FLASK_"))
    }
    return {**env, **extra}


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, (command, result.stdout[-4000:], result.stderr[-4000:])
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(dist), str(ROOT)],
        env=_clean_environment(),
    )
    (built,) = dist.glob("intake-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> tuple[Path, Path]:
    """(the virtualenv's python, a folder outside the checkout to run it in)."""
    base = tmp_path_factory.mktemp("installed")
    assert not base.is_relative_to(ROOT)
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
        .stdout.strip()
    )
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "intake_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        env=_clean_environment(),
    )
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return python, elsewhere


def test_the_wheel_carries_the_folders_the_app_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in [
        "intake/_templates/base.html",
        "intake/_templates/documents/letters/acknowledgment.en.txt",
        "intake/_static/css/app.css",
        "intake/_static/documents/pdf.css",
        "intake/_static/vendor/uswds/css/uswds.min.css",
        "intake/_static/vendor/uswds/js/uswds.min.js",
        "intake/_migrations/env.py",
        "intake/_migrations/alembic.ini",
        "intake/_migrations/versions/0001_complaint_intake.py",
        "intake/translations/es/LC_MESSAGES/messages.mo",
        "intake/reference/data/us_states.csv",
        "intake/reference/data/us_counties.csv",
        "intake/oversight/data/program_activations.csv",
    ]:
        assert needed in names, needed
    # Nothing of the checkout besides the package.
    assert {name.split("/")[0] for name in names} == {"intake", "intake-0.1.0.dist-info"}
    assert not any("__pycache__" in name for name in names)


def test_the_installed_wheel_migrates_and_serves_outside_the_checkout(installed, tmp_path):
    python, elsewhere = installed
    instance = tmp_path / "instance"
    env = _clean_environment(INTAKE_INSTANCE_PATH=str(instance))
    _run([str(python), "-m", "flask", "--app", "intake.factory:create_app", "db", "upgrade"],
         cwd=elsewhere, env=env)
    assert (instance / "intake.sqlite3").is_file()

    result = json.loads(_run([str(python), "-c", PROBE], cwd=elsewhere, env=env).stdout)

    site = python.parent.parent
    package = Path(result["package"]).parent
    assert package.is_relative_to(site), result["package"]
    assert not any(Path(p).resolve() == ROOT for p in result["sys_path"] if p)
    for folder in ("template_folder", "static_folder", "migrations", "letters"):
        assert Path(result[folder]).is_relative_to(package), (folder, result[folder])
    assert result["instance_path"] == str(instance)
    assert result["database"] == f"sqlite:///{instance / 'intake.sqlite3'}"

    status, html = result["home"]
    assert status == 200
    assert "File a civil rights complaint" in html
    assert "/static/vendor/uswds/css/uswds.min.css" in html
    status, html = result["home_es"]
    assert status == 200
    assert 'lang="es"' in html and "Presentar una queja de derechos civiles" in html
    status, css = result["uswds_css"]
    assert status == 200 and ".usa-button" in css
    assert result["uswds_js"][0] == 200 and result["uswds_js"][1] > 10_000
    assert result["app_css"][0] == 200 and result["app_css"][1] > 0
    assert "acknowledgment.en.txt" in result["letter_files"]
    # The migrations seeded the reference data from the package's CSV files.
    assert result["counts"]["states"] >= 50
    assert result["counts"]["counties"] > 3000
    assert result["counts"]["jurisdictions"] > 0
    # The PDF worker runs from the package and reads its stylesheet from the package's static.
    assert result["pdf"] == ["%PDF-", 1, 0]


def test_the_installed_app_keeps_its_instance_folder_in_the_virtualenv(installed):
    python, elsewhere = installed
    probe = "from intake.factory import create_app; print(create_app().instance_path)"
    result = _run([str(python), "-c", probe], cwd=elsewhere, env=_clean_environment())
    assert result.stdout.strip() == str(python.parent.parent / "var" / "intake-instance")
