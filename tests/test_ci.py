"""The fork's CI workflow: valid for the code host, and the same command as .ci/run."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
sys.path.insert(0, str(ROOT / "tools"))


def test_the_workflow_passes_the_workflow_schema():
    # check-jsonschema ships the code host's workflow schema: this check needs no network.
    linter = shutil.which("check-jsonschema", path=str(pathlib.Path(sys.executable).parent))
    assert linter, "check-jsonschema is missing: it is in pyproject's dev extra, run make"
    result = subprocess.run(
        [linter, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_fails_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps: [{run: make test}]\n")  # no runs-on
    linter = shutil.which("check-jsonschema", path=str(pathlib.Path(sys.executable).parent))
    result = subprocess.run(
        [linter, "--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True
    )
    assert result.returncode != 0


def test_the_workflow_runs_ci_run_on_every_supported_python_with_chromium_and_pip_cache():
    import check_python

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    assert job["runs-on"].startswith("ubuntu")
    versions = job["strategy"]["matrix"]["python-version"]
    assert versions[0] == ".".join(map(str, check_python.MINIMUM))
    assert versions == ["3.11", "3.12", "3.13"]  # the README's "Python 3.11 to 3.13"
    assert "Python 3.11 to 3.13" in (ROOT / "README.md").read_text(encoding="utf-8")
    steps = job["steps"]
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-py"))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.lock"
    assert any("setup-chrome" in step.get("uses", "") for step in steps)
    # one command for both: the host's job runs .ci/run, and .ci/run ends in `make test`
    assert steps[-1]["run"] == "bash .ci/run"
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert script[-1] == "make test"
