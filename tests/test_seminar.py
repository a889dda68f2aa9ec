"""`make seminar`: one offline deck in the talk's order, each slide with speaker notes."""

from __future__ import annotations

import copy
import pathlib
import re
import sys

import nbformat
import pytest
from test_render import loaded_references

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import render  # noqa: E402
import seminar  # noqa: E402


@pytest.fixture(scope="module")
def manifest() -> dict:
    return seminar.load_manifest()


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> str:
    return seminar.build(tmp_path_factory.mktemp("seminar")).read_text(encoding="utf-8")


def test_the_deck_has_one_slide_with_notes_per_manifest_entry(manifest, deck):
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', deck, re.DOTALL)
    assert len(notes) == len(manifest["slide"]) <= seminar.MAX_SLIDES
    assert all(re.sub(r"<[^>]+>", "", note).strip() for note in notes), "an empty speaker note"


def test_the_slides_appear_in_the_manifest_order(manifest, deck):
    # Each slide's notes open with a line of their own; find them in the page in turn.
    positions = [
        deck.find(slide["notes"].strip().splitlines()[0][:30]) for slide in manifest["slide"]
    ]
    assert -1 not in positions, "a slide's notes are missing from the deck"
    assert positions == sorted(positions)


def test_the_deck_loads_nothing_from_the_network(deck):
    for reference in loaded_references(deck):
        assert reference.startswith(("data:", "assets/")), f"the deck loads {reference}"


def test_notes_quote_only_numbers_their_slides_show(manifest):
    assert seminar.unquoted_numbers(manifest) == []


def test_a_quoted_number_the_slide_does_not_show_is_caught(manifest):
    changed = copy.deepcopy(manifest)
    changed["slide"][0]["notes"] += "\n정확도는 12.34%입니다."
    assert seminar.unquoted_numbers(changed) == [
        f"slide 1 ({changed['slide'][0]['title']!r}) of seminar.toml: 12.34%"
    ]


def test_the_talk_sections_are_all_covered_in_order(manifest):
    covered = list(dict.fromkeys(slide["section"] for slide in manifest["slide"]))
    assert covered == manifest["talk"]["sections"]


def _broken(manifest: dict, change) -> dict:
    broken = copy.deepcopy(manifest)
    change(broken)
    return broken


@pytest.mark.parametrize(
    "change, message",
    [
        pytest.param(
            lambda m: m["slide"].insert(0, m["slide"].pop()),
            "after a slide of the later section",
            id="wrong order",
        ),
        pytest.param(lambda m: m["slide"][3].pop("notes"), "has no 'notes'", id="missing notes"),
        pytest.param(
            lambda m: m["slide"].extend(m["slide"][-1:] * (46 - len(m["slide"]))),
            "at most 45",
            id="too many slides",
        ),
        pytest.param(  # slides 3 to 5 are the whole LSTM review
            lambda m: [m["slide"].pop(2) for _ in range(3)],
            "has no slide for the talk's sections ['LSTM 복습']",
            id="lost section",
        ),
        pytest.param(
            lambda m: m["slide"][0].update(notebook="lsmt"), "names notebook 'lsmt'", id="bad key"
        ),
    ],
)
def test_a_broken_manifest_is_refused(manifest, change, message):
    with pytest.raises(seminar.ManifestError, match=re.escape(message)):
        seminar.check_manifest(_broken(manifest, change))


def test_a_missing_cell_id_names_the_manifest_entry(manifest):
    broken = _broken(manifest, lambda m: m["slide"][4]["cells"].append("no-such-id"))
    title = broken["slide"][4]["title"]
    with pytest.raises(seminar.ManifestError, match=re.escape(f"slide 5 ({title!r})")) as error:
        seminar.assemble(broken)
    assert "no cell with id 'no-such-id'" in str(error.value)


def test_a_missing_notebook_names_the_file(manifest):
    broken = _broken(manifest, lambda m: m["notebooks"].update(lstm="01_renamed.ipynb"))
    with pytest.raises(seminar.ManifestError, match="01_renamed.ipynb, which is not in"):
        seminar.assemble(broken)


def test_a_cell_hidden_on_slides_cannot_be_chosen(manifest):
    notebook = nbformat.read(seminar.NOTEBOOKS / manifest["notebooks"]["lstm"], as_version=4)
    hidden = next(
        c.id for c in notebook.cells if render.SLIDES_HIDE_TAG in c.metadata.get("tags", [])
    )
    broken = _broken(manifest, lambda m: m["slide"][2]["cells"].append(hidden))
    with pytest.raises(seminar.ManifestError, match=render.SLIDES_HIDE_TAG):
        seminar.assemble(broken)


def test_the_korean_deck_takes_each_twin_and_names_the_missing_ones():
    manifest = seminar.load_manifest()
    paths, english = seminar.edition_paths(manifest, "ko")
    for key, name in manifest["notebooks"].items():
        twin = seminar.NOTEBOOKS / "ko" / name
        assert paths[key] == (twin if twin.is_file() else seminar.NOTEBOOKS / name)
        assert (name in english) == (not twin.is_file())
    assert seminar.edition_paths(manifest, "en") == (
        {k: seminar.NOTEBOOKS / n for k, n in manifest["notebooks"].items()},
        [],
    )
    with pytest.raises(seminar.ManifestError, match="unknown edition"):
        seminar.edition_paths(manifest, "fr")


def _main_slides(deck) -> list:
    return [c for c in deck.cells if c.metadata["slideshow"]["slide_type"] == "slide"]


@pytest.mark.parametrize("edition, title_key", [("ko", "title"), ("en", "title_en")])
def test_every_slide_opens_with_a_heading(manifest, edition, title_key):
    """A slide that would open on bare code or a bare chart gets its manifest title in the
    deck's language, so the room always reads what the slide is about; other slides keep
    their own heading."""
    paths, _ = seminar.edition_paths(manifest, edition)
    plain = _main_slides(seminar.assemble(manifest, paths=paths))
    titled = _main_slides(seminar.assemble(manifest, paths=paths, title_key=title_key))
    assert len(titled) == len(plain) == len(manifest["slide"])
    assert all(cell.source.lstrip().startswith("#") for cell in titled)
    for slide, before, after in zip(manifest["slide"], plain, titled, strict=True):
        if before.source.lstrip().startswith("#"):
            assert after.source == before.source
        else:
            assert after.source == f"### {slide[title_key]}"


def test_a_slide_without_a_heading_or_a_title_is_refused(manifest):
    broken = copy.deepcopy(manifest)
    needs_title = next(slide for slide in broken["slide"] if "title_en" in slide)
    del needs_title["title_en"]
    with pytest.raises(seminar.ManifestError, match="opens on a cell without a heading"):
        seminar.assemble(broken, title_key="title_en")


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
