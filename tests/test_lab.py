"""`make lab`'s project-local Jupyter config: no news prompt, Korean drawn with NanumGothic."""

from __future__ import annotations

import json
import pathlib
import re
import sys

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
