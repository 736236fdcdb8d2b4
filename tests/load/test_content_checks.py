"""Content that would print a wrong leaflet is refused by `check` and `build`, each
problem one line at its file and line: empty values, a summary of the wrong length, a
clinic profile whose contact details are not what they say."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import edit

import brochure

HSG = Path("content/hsg/en.md")
CLINIC = Path("content/clinic.yaml")
COMPARISON = Path("content/hsg-vs-hysteroscopy/en.yaml")
BUILT_IN = Path(brochure.__file__).parent / "defaults"

WRONG = [
    (HSG, "title: Your HSG test", 'title: ""', "'title' is empty"),
    (HSG, "title: Your HSG test", "title:", "'title' is empty"),
    (HSG, "short_title: HSG", 'short_title: "   "', "'short_title' is empty"),
    (HSG, "code: RWH-RAD-007", "code:", "'code' is empty"),
    (HSG, "published: 2026-12-01", "published:", "'published' is empty"),
    (HSG, "r:summary:\n(  - .*\n)+", "summary: []\n", "'summary' is empty"),
    (HSG, "r:  - ACOG.*\n", '  - ""\n', "item 1 of 'sources' is empty"),
    (HSG, "r:  what_it_shows: .*\n", '  what_it_shows: ""\n', "'facts.what_it_shows' is empty"),
    (HSG, "r:summary:\n", "summary:\n  - One more.\n  - And another.\n", "the summary has 7 points; it holds 3 to 5"),
    (COMPARISON, "r:  - heading: .*\n", '  - heading: ""\n', "'sections[0].heading' is empty"),
    (CLINIC, "phone: 01632 960 123", 'phone: ""', "'phone' is empty"),
    (CLINIC, "phone: 01632 960 123", "phone: call reception", "'phone' must be a phone number"),
    (CLINIC, "email: gynae@riverside-clinic.example", "email: not-an-email", "'email' must be an email address"),
    (CLINIC, "website: https://riverside-clinic.example", "website: javascript:alert(1)", "'website' must be a web address"),
    (CLINIC, "online_copy: https://", "online_copy: javascript://", "'online_copy' must be a web address"),
    (CLINIC, "name: Riverside Women's Health Clinic", 'name: ""', "'name' is empty"),
    (CLINIC, "name: Riverside Women's Health Clinic", 'name: "{{ clinic.name }}"', "'name' holds a placeholder"),
    (CLINIC, "  es: en un plazo de 2 semanas", '  es: ""', "'results_time.es' is empty"),
    (CLINIC, 'primary: "#1f5f74"', "primary: #1f5f74", "'colours.primary' is empty (quote the colour"),
    (
        CLINIC,
        'primary: "#1f5f74"',
        'primary: "#f0f0f0"',
        "the headings and links in tinted boxes, the clinic's 'primary' (#f0f0f0) on the clinic's 'accent' (#e6f0f3), "
        "has a contrast of 1.02:1",
    ),
    (
        CLINIC,
        'accent: "#e6f0f3"',
        'accent: "#1a1a1a"',
        "the text in tinted boxes, the layout's 'text' (#1a1a1a) on the clinic's 'accent' (#1a1a1a), has a contrast of 1.00:1",
    ),
    (
        HSG,
        "This leaflet is for you",
        "This \u202eleaflet is for you",
        "the text holds the control character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ),
    (
        HSG,
        "This leaflet is for you",
        "This\x00 leaflet is\x07 for you",
        "the text holds the control character U+0000 (and 1 more)",
    ),
    (COMPARISON, "leaflets: [hsg, hysteroscopy]", "leaflets: [hsg, hsg]", "'leaflets' names 'hsg' twice"),
    (COMPARISON, "rows:\n", "rows:\n  - pain\n", "row 'pain' is given twice in 'rows'"),
    (HSG, "## What is an HSG?", "Read <b>this</b>.\n\n## What is an HSG?", "HTML is not supported"),
    (HSG, "## What is an HSG?", "[Click](javascript:alert(1))\n\n## What is an HSG?", "a link to 'javascript:' is not supported"),
    (HSG, "## What is an HSG?", "| a | b |\n|---|---|\n\n## What is an HSG?", "table is not supported in leaflets"),
    (HSG, "  - An HSG is an X-ray test.", "  - An HSG is an <i>X-ray</i> test.", "HTML is not supported"),
    (HSG, "## What is an HSG?", "Price: {{ clinic.address }}\n\n## What is an HSG?", "{{ clinic.address }} is a list, not text"),
    (HSG, "## What is an HSG?", "It may cramp.[^1]\n\n## What is an HSG?", "footnotes ([^1]) are not supported"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), WRONG, ids=[w[3] for w in WRONG])
@pytest.mark.parametrize("command", [["check"], ["build", "hsg", "hsg-vs-hysteroscopy", "--lang", "en"]], ids=["check", "build"])
def test_content_that_would_print_wrong_is_refused(cli, project: Path, file, old, new, message, command) -> None:  # noqa: ANN001
    path = project / file
    if old.startswith("r:"):
        path.write_text(re.sub(old[2:], new, path.read_text(), count=1), encoding="utf-8")
    else:
        edit(path, old, new)
    line = next(i for i, text in enumerate((project / file).read_text().splitlines(), 1) if new.splitlines()[0] in text)
    result = cli("-C", project, *command)
    assert result.exit_code == 1, result.output
    errors = [text for text in result.output.splitlines() if not text.startswith(("note:", "ok:"))]
    assert re.search(rf"{re.escape(file.as_posix())}:{line}: {re.escape(message)}", errors[0]), result.output
    assert len(errors) == 1 or errors[-1].endswith("problems found."), result.output
    assert "Traceback" not in result.output and not (project / "output").exists()


def test_the_sample_profile_and_leaflets_pass(cli, project: Path) -> None:
    result = cli("-C", project, "check")
    assert result.exit_code == 0, result.output


def test_a_document_folder_is_named_as_a_web_address_can_hold_it(cli, project: Path) -> None:  # noqa: ANN001
    """`brochure new` refuses such a name; a folder made by hand is refused as well."""
    (project / "content" / "hsg").rename(project / "content" / "Mon HSG")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert "content/Mon HSG: a document's folder name is lowercase letters, digits and hyphens" in result.output
    assert "(rename the folder, e.g. mon-hsg)" in result.output


NO_INTERNAL_ERROR = [
    ("content/i18n/en.yaml", None, "locale: xx_YY\n", ["build", "hsg"], "content/i18n/en.yaml:1: unknown locale 'xx_YY'"),
    (
        "content/i18n/en.yaml",
        None,
        "- a list\n",
        ["check"],
        "i18n/en.yaml:1: expected a mapping of keys to values, not a list",
    ),
    (
        "layouts/leaflet.yaml",
        None,
        "- a list\n",
        ["check"],
        "leaflet.yaml:1: expected a mapping of keys to values, not a list",
    ),
    (
        COMPARISON.as_posix(),
        "sections:\n",
        "sections:\n  - just text\n",
        ["check"],
        "not 'just text'",
    ),
    (
        HSG.as_posix(),
        "figure:\n  kind: hsg\n",
        "figure: hsg\nfigur:\n  kind: hsg\n",
        ["check"],
        "'figure' must be a mapping",
    ),
    (
        "content/figures/hsg.yaml",
        "box: [200, 120]",
        "box: [0, 0]",
        ["build", "hsg"],
        "'box' must be a width and a height",
    ),
    (
        "content/figures/hsg.yaml",
        "circle: [31, 63, 0.9]",
        "circle: [400, 300, 60]",
        ["build", "hsg"],
        "19: 'shapes[3].circle' reaches outside the figure's box, 200 x 120",
    ),
    (
        "content/figures/hsg.yaml",
        "circle: [31, 63, 0.9]",
        "circle: [31, 63, -40]",
        ["build", "hsg"],
        "19: 'shapes[3].circle' needs a radius above 0",
    ),
    (
        "content/figures/hsg.yaml",
        "anchor: [42, 58]",
        "anchor: [-300, 900]",
        ["build", "hsg"],
        "'labels[0].anchor' is outside the figure's box, 200 x 120",
    ),
    (
        "content/figures/hsg.yaml",
        "width: 3.2",
        "width: 500",
        ["build", "hsg"],
        "'shapes[1].width' is 500; a stroke is 0 to 12 wide",
    ),
    (
        "content/figures/hsg.yaml",
        "box: [200, 120]",
        "box: [100000, 100000]",
        ["build", "hsg"],
        "the shapes fill less than half of 'box' (100000 x 100000) either way",
    ),
    (
        "content/figures/hsg.yaml",
        'fill: "#2f6fb0"',
        "fill: #2f6fb0",
        ["build", "hsg"],
        "20: 'shapes[3].fill' is empty (quote the colour",
    ),
    (
        "content/figures/hsg.yaml",
        'fill: "#2f6fb0"',
        "fill: blue",
        ["build", "hsg"],
        "not 'blue' (write '#' and six hex digits, quoted)",
    ),
    ("layouts/selfy.yaml", None, "extends: selfy\ndocument: leaflet\n", ["check"], "'extends: selfy' is this layout itself"),
    ("layouts/mine.yaml", None, "extends: [leaflet]\ndocument: leaflet\n", ["check"], "mine.yaml:1: 'extends' must be text"),
    ("content/i18n/en.yaml", None, 'date_format: "d MMMMMM y"\n', ["build", "hsg"], "'date_format' 'd MMMMMM y' is not a date"),
    (
        "content/i18n/en.yaml",
        None,
        "summary_heading: \"In short {{ t('summary_heading') }}\"\n",
        ["build", "hsg"],
        "en.yaml:1: 'summary_heading' uses itself through t()",
    ),
    ("layouts/leaflet.yaml", "    top: 13mm", "    top: 13mm\n    left: .inf", ["check"], "'page.margins.left' must be a length"),
    (
        "layouts/leaflet.yaml",
        "    top: 13mm",
        "    top: 13mm\n    left: 200mm",
        ["build", "hsg"],
        "the margins leave the text -6 x 264",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "command", "message"), NO_INTERNAL_ERROR, ids=[c[4].split(": ")[-1] for c in NO_INTERNAL_ERROR]
)
def test_a_malformed_file_is_a_problem_never_an_internal_error(cli, project: Path, file, old, new, command, message) -> None:  # noqa: ANN001
    path = project / file
    path.parent.mkdir(parents=True, exist_ok=True)
    if old is None:
        path.write_text(new, encoding="utf-8")
    else:
        if not path.exists():  # the project's own copy of a built-in file
            shutil.copy(BUILT_IN / Path(file).relative_to("content" if file.startswith("content/") else "."), path)
        edit(path, old, new)
    result = cli("-C", project, *command)
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if not line.startswith(("note:", "ok:"))]
    assert any(message in line for line in errors), result.output


def test_an_empty_front_matter_is_said_so_not_a_missing_translation(cli, project: Path) -> None:  # noqa: ANN001
    path = project / "content" / "hsg" / "pl.md"
    path.write_text("---\n---\n" + path.read_text(encoding="utf-8").split("\n---\n", 1)[1], encoding="utf-8")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if not line.startswith("note:")]
    assert errors == [f"{path}:2: the front matter is empty (write the keys between the '---' lines)"], result.output
