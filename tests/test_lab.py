"""`make lab`'s project-local Jupyter config and the lab itself in headless Chromium.

The config: no news prompt, Korean drawn with NanumGothic. The lab: `make lab` opens
00_overview and prints the URL that works last; `make lab-ko` opens ko/00_overview with
Korean menus; a notebook run top to bottom shows no presenter's note and no answer key.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request

import pytest
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tools" / "jupyter"
sys.path.insert(0, str(ROOT / "tools"))

import render  # noqa: E402

NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def test_the_news_prompt_is_answered_never():
    overrides = json.loads((CONFIG / "labconfig" / "default_setting_overrides.json").read_text())
    schema_file = pathlib.Path(sys.prefix).joinpath(
        "share", "jupyter", "lab", "schemas", *NOTIFICATION.split(":")[0].split("/")
    ) / (NOTIFICATION.split(":")[1] + ".json")
    # The installed JupyterLab must still have the setting, with "false" meaning Never.
    schema = json.loads(schema_file.read_text())["properties"]
    never = {choice["const"]: choice["title"] for choice in schema["fetchNews"]["oneOf"]}
    assert never[overrides[NOTIFICATION]["fetchNews"]] == "Never"
    assert overrides[NOTIFICATION]["checkForUpdates"] is False


def test_custom_css_loads_the_font_the_makefile_builds():
    makefile = (ROOT / "Makefile").read_text()
    font_path = re.search(r"^LAB_FONT := (\S+)$", makefile, re.MULTILINE).group(1)
    css = (CONFIG / "custom" / "custom.css").read_text()
    assert f'url("../static/{pathlib.Path(font_path).name}")' in css
    assert json.loads((CONFIG / "jupyter_server_config.json").read_text())["LabApp"]["custom_css"]


def test_the_lab_font_holds_every_hangul_syllable_and_passes_browser_checks(tmp_path):
    font = TTFont(render.write_hangul_webfont(tmp_path / "NanumGothic.woff"))
    covered = set(map(chr, font.getBestCmap()))
    assert {"가", "배", "추", "힣"} <= covered
    # Chromium refuses the shipped file for its empty TSI3 table (OTS); the web copy drops it.
    assert not [tag for tag in font.keys() if tag.startswith("TSI")]


# ---------------------------------------------------------------- the lab in headless Chromium

LAUNCH = ROOT / "tools" / "jupyter" / "launch.py"
sys.path.insert(0, str(LAUNCH.parent))

import launch  # noqa: E402  (tools/jupyter is not a package)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _browser() -> str:
    found = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if not found:
        pytest.skip("no Chromium on PATH (.ci/run installs it)")
    return found


class Page:
    """One Chromium tab driven over the DevTools protocol: evaluate JavaScript, wait for it."""

    def __init__(self, browser: str, profile: pathlib.Path):
        import websocket

        port = _free_port()
        self.process = subprocess.Popen(
            render.headless_chromium(
                browser,
                profile,
                f"--remote-debugging-port={port}",
                "--window-size=1400,1000",
                "about:blank",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                    tab = next(t for t in json.load(r) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        self.socket = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=60)
        self.calls = 0

    def send(self, method: str, **params):
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]

    def evaluate(self, script: str):
        result = self.send(
            "Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, script: str, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(script)
            if value:
                return value
            time.sleep(0.5)
        raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)


@contextlib.contextmanager
def lab_page(tmp_path: pathlib.Path, korean: bool, root: pathlib.Path):
    """tools/jupyter/launch.py serving ``root`` as `make lab` (or lab-ko) does, and a tab on it."""
    browser = _browser()
    port, token = _free_port(), secrets.token_hex(16)
    settings = tmp_path / "settings"
    # Every cell in the page, not only those in view (JupyterLab 4 windows long notebooks).
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(CONFIG),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTER_TOKEN=token,
        PYTHONPATH=str(ROOT),  # the kernel imports this checkout's helpers
    )
    env.pop("DISPLAY", None)
    font = render.write_hangul_webfont(tmp_path / "static" / "NanumGothic.woff")  # as make lab
    args = [sys.executable, str(LAUNCH), "--port", str(port), "--root", str(root)]
    args += ["--static", str(font.parent)]
    args += ["--korean"] if korean else []
    args += ["--", "--LabApp.expose_app_in_browser=True"]
    server = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    page = None
    try:
        lines = []
        for line in server.stdout:  # the launcher's banner ends with the URL it prints last
            lines.append(line)
            if line.startswith("    http://"):
                break
        url = lines[-1].strip()
        assert url == launch.lab_url(port, token, "ko" if korean else "en"), "".join(lines)
        page = Page(browser, tmp_path / "profile")
        page.send("Page.navigate", url=url)
        page.wait_for(
            "!!(window.jupyterapp && document.querySelector('#jp-MainMenu'))",
            120,
            "JupyterLab's menu bar",
        )
        yield page, "".join(lines)
    finally:
        if page:
            page.close()
        server.terminate()
        server.wait(timeout=60)


def _copy_overviews(root: pathlib.Path) -> pathlib.Path:
    """The two overviews in a scratch folder: the lab autosaves what it runs, never into git."""
    (root / "ko").mkdir(parents=True)
    for name in ("00_overview.ipynb", "ko/00_overview.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, root / name)
    return root


# The open notebook (a headless tab has no focus, so the shell has no "current" widget).
NOTEBOOK = "[...jupyterapp.shell.widgets('main')].find(w => w.context)"
OPEN_PATH = f"({NOTEBOOK} || {{context: {{}}}}).context.path"
MENU_TEXT = "document.querySelector('#jp-MainMenu').innerText"


def test_make_lab_ko_opens_the_korean_overview_with_korean_menus(tmp_path):
    root = _copy_overviews(tmp_path / "notebooks")
    with lab_page(tmp_path, korean=True, root=root) as (page, printed):
        assert page.wait_for(OPEN_PATH, 60, "an open notebook") == "ko/00_overview.ipynb"
        menus = page.wait_for(f"{MENU_TEXT}.includes('파일') && {MENU_TEXT}", 60, "Korean menus")
        assert {"파일", "편집", "커널"} <= set(menus.split()), menus
        assert "The English edition" in printed
        page.wait_for("!!document.querySelector('.jp-Notebook .jp-MarkdownCell')", 60, "cells")
        shot = page.send("Page.captureScreenshot", format="png")["data"]
        (tmp_path / "lab-ko.png").write_bytes(base64.b64decode(shot))


def _plain(text: str) -> str:
    """Text as compared: no markdown marks, quotes or runs of space (rendered or not)."""
    return " ".join(re.sub(r"[*_`\[\]()'‘’“”\"]", " ", text).split())


def _note_openings() -> list[str]:
    """The first 40 plain characters of every presenter's note, both editions."""
    openings = []
    for path in sorted((ROOT / "presenter" / "notes").rglob("*.toml")):
        notes = tomllib.loads(path.read_text(encoding="utf-8"))["notes"]
        openings += [_plain(note)[:40] for note in notes.values() if len(_plain(note)) >= 20]
    return openings


RUN_FINISHED = """(() => {
  const context = NOTEBOOK.context.sessionContext;
  const kernel = context.session && context.session.kernel;
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return !!kernel && kernel.status === 'idle' && prompts.length > 0 &&
    prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
})()""".replace("NOTEBOOK", NOTEBOOK)


def test_a_notebook_run_in_the_lab_shows_no_presenter_note_and_no_answer_key(tmp_path):
    openings = _note_openings()
    assert len(openings) > 100, "the presenter's notes were not found"
    root = _copy_overviews(tmp_path / "notebooks")
    with lab_page(tmp_path, korean=False, root=root) as (page, printed):
        assert page.wait_for(OPEN_PATH, 60, "an open notebook") == "00_overview.ipynb"
        assert "File" in page.evaluate(MENU_TEXT)
        # the banner's last line is the URL; a Korean reader is pointed to ko/00_overview
        assert printed.rstrip().splitlines()[-1].strip().startswith("http://localhost:")
        assert "ko/00_overview에서 시작하세요" in printed
        url = printed.rstrip().splitlines()[-1].strip()
        server, token = url.split("/lab/")[0], url.split("token=")[1]
        with urllib.request.urlopen(f"{server}/?token={token}") as landing:  # the bare address
            assert landing.geturl().split("?")[0] == f"{server}/lab/tree/00_overview.ipynb"
        page.wait_for(f"{NOTEBOOK}.context.sessionContext.ready.then(() => true)", 120, "a kernel")
        page.evaluate(f"jupyterapp.shell.activateById({NOTEBOOK}.id), true")
        page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells'), true")
        page.wait_for(RUN_FINISHED, 300, "Run All Cells to finish")
        notebook = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook')"
        shown = _plain(page.evaluate(f"{notebook}.textContent"))
        visible = page.evaluate(f"{notebook}.innerText")
    first_prose = json.loads((root / "00_overview.ipynb").read_text())["cells"][0]["source"]
    assert _plain("".join(first_prose))[:40] in shown  # the comparison finds what is there
    assert "Your turn" in visible  # the exercise's check ran
    found = [opening for opening in openings if opening in shown]
    assert not found, f"presenter's notes on the learner's page: {found[:3]}"
    for key in ("Answer key", "Answer:", "정답:"):
        assert key not in visible, f"{key!r} is on the learner's page"
