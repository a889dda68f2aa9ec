"""`make lab` and `make lab-ko`: JupyterLab on notebooks/, opened at the overview.

Starts ``jupyter lab`` with the project-local config (tools/jupyter, set by the Makefile), a
token of its own and the overview as the page to open (``LabApp.default_url``): 00_overview,
or with ``--korean`` ko/00_overview with JupyterLab's menus in Korean (the
jupyterlab-language-pack-ko-KR locale, written into the project's user settings in build/).
Once the server answers, it prints the one URL that works, token included, last, so it is
the line a learner sees on a machine with no display (SSH, WSL) too.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
OVERVIEW = {"en": "00_overview.ipynb", "ko": "ko/00_overview.ipynb"}
LOCALE = {"en": "en", "ko": "ko_KR"}  # the language pack's locale name
TRANSLATION = pathlib.Path("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")


def choose_locale(settings_dir: pathlib.Path, language: str) -> pathlib.Path:
    """Write the interface language into the lab's user settings (the Settings menu's choice)."""
    path = settings_dir / TRANSLATION
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"locale": LOCALE[language]}, indent=2) + "\n", encoding="utf-8")
    return path


def lab_url(port: int, token: str, language: str) -> str:
    return f"http://localhost:{port}/lab/tree/{OVERVIEW[language]}?token={token}"


def banner(port: int, token: str, language: str) -> str:
    """What the learner reads last: where the other edition is, then the one URL to open."""
    if language == "en":
        other = [
            "한국어판은 왼쪽 파일 목록의 ko 폴더에 있습니다. ko/00_overview에서 시작하세요.",
            "메뉴까지 한국어로 보려면 make lab-ko로 여세요. (Korean readers: ko/00_overview.)",
        ]
    else:
        other = ["The English edition: 00_overview, or `make lab` for English menus."]
    return "\n".join(
        [
            "",
            "=" * 78,
            *other,
            "JupyterLab is running (Ctrl-C stops it). Open this URL; its token is part of it:",
            f"    {lab_url(port, token, language)}",
            "=" * 78,
        ]
    )


def command(
    port: int, language: str, static: str | None, browser: bool, root=NOTEBOOKS
) -> list[str]:
    jupyter = pathlib.Path(sys.executable).with_name("jupyter")
    args = [
        str(jupyter),
        "lab",
        f"--notebook-dir={root}",
        f"--port={port}",
        "--ServerApp.port_retries=0",  # the printed URL must be the port the server has
        f"--LabApp.default_url=/lab/tree/{OVERVIEW[language]}",
        "--ServerApp.log_level=WARN",  # its own startup lines (and URLs) would bury ours
    ]
    if static:
        args.append(f"--ServerApp.extra_static_paths={json.dumps([static])}")
    if not browser:
        args.append("--no-browser")
    if os.geteuid() == 0:
        args.append("--allow-root")
    return args


def wait_until_up(port: int, token: str, server: subprocess.Popen, timeout: float = 120.0):
    """Return once the server answers with this token; raise if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"jupyter lab stopped (exit {server.returncode}); see above")
        try:
            with urllib.request.urlopen(
                f"http://localhost:{port}/api/status?token={token}", timeout=2
            ):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"jupyter lab did not answer on port {port} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--korean", action="store_true", help="ko/00_overview, Korean menus")
    parser.add_argument("--static", help="a folder to serve under static/ (the Hangul font)")
    parser.add_argument("--root", default=NOTEBOOKS, help="the folder to serve (tests: a copy)")
    parser.add_argument("extra", nargs="*", help="more jupyter lab options, after --")
    args = parser.parse_args(argv)
    language = "ko" if args.korean else "en"
    settings = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    if settings:
        choose_locale(pathlib.Path(settings), language)
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    display = sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    env = dict(os.environ, JUPYTER_TOKEN=token)  # not on the command line, where ps shows it
    lab = command(args.port, language, args.static, display, args.root) + args.extra
    server = subprocess.Popen(lab, env=env)
    try:
        wait_until_up(args.port, token, server)
        print(banner(args.port, token, language), flush=True)
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches the server too (same process group)
        return server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
