"""brochure init and brochure new: the templates, what they write, and what they refuse."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, edit, page_texts

from brochure.defaults import DEFAULTS
from brochure.load.content import APPOINTMENT_FIELDS, APPOINTMENT_STATES, CLINIC_KEYS, FRONT_MATTER, MAIL_KEYS
from brochure.model import FACT_KEYS
from brochure.scaffold import NEW_TEMPLATES, PROJECT_TEMPLATE, edition

CLINIC_TEMPLATE = PROJECT_TEMPLATE / "content" / "clinic.yaml"
COMMENTED_KEY = re.compile(r"(?m)^(\s*)# (?=[a-z_]+:( |$))")  # "# logo: ..." is a key left out
KEY_LINE = re.compile(r"^(\s*)(?:# )?([a-z_]+):( |$)")
INIT_FILES = (".gitignore", "README.md", "content/clinic.yaml", "content/hsg/en.md", "sample-appointments.csv")


def read_yaml(text: str):
    """YAML as data, read by another parser than brochure's own."""
    return yaml.safe_load(text)


def template_keys() -> dict:
    """The clinic template as data, with the keys it leaves out (commented) put back in."""
    return read_yaml(COMMENTED_KEY.sub(r"\1", CLINIC_TEMPLATE.read_text(encoding="utf-8")))


def test_the_clinic_template_has_every_key_the_profile_accepts() -> None:
    data = template_keys()
    assert set(data) == set(CLINIC_KEYS)
    assert set(data["mail"]) == set(MAIL_KEYS)
    assert set(data["appointment_columns"]) == set(APPOINTMENT_FIELDS)
    assert set(data["appointment_status"]) == set(APPOINTMENT_STATES)
    used = set(re.findall(r"clinic\.colours\.(\w+)", (DEFAULTS / "layouts" / "base.yaml").read_text(encoding="utf-8")))
    assert used and set(data["colours"]) == used  # every colour the built-in layouts use


def test_every_key_of_the_clinic_template_has_a_comment_with_its_default() -> None:
    lines = CLINIC_TEMPLATE.read_text(encoding="utf-8").splitlines()
    section = ""
    explained = set()
    for number, line in enumerate(lines):
        match = KEY_LINE.match(line)
        if not match or section == "procedures" and match.group(1):
            continue  # procedure names are the clinic's own, not keys
        indent, key = match.group(1), match.group(2)
        section = key if not indent else section
        above = lines[number - 1].strip()
        assert above.startswith("# ") and not KEY_LINE.match(lines[number - 1]), f"no comment above '{key}'"
        if not indent or section in ("mail", "appointment_columns", "appointment_status"):
            assert re.search(r"Default|Required|Optional", above), f"the comment above '{key}' gives no default"
        explained.add((section if indent else "", key))
    assert {("", key) for key in CLINIC_KEYS} <= explained
    assert {("mail", key) for key in MAIL_KEYS} <= explained


def test_a_missing_colour_is_suggested_as_the_template_has_it() -> None:
    from brochure.prepare.fill import EXAMPLE_COLOURS

    # check's hint for a colour missing from clinic.yaml suggests the template's value of it
    assert EXAMPLE_COLOURS == read_yaml(CLINIC_TEMPLATE.read_text(encoding="utf-8"))["colours"]


def test_the_sample_appointments_have_the_templates_columns() -> None:
    columns = template_keys()["appointment_columns"]
    with (PROJECT_TEMPLATE / "sample-appointments.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [columns[field] for field in APPOINTMENT_FIELDS]
    assert all(dt.date.fromisoformat(row[columns["date"]]) > dt.date(2029, 12, 31) for row in rows)


def front_matter_and_body(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    assert match
    return read_yaml(match.group(1)), text[match.end() :]


def test_the_template_leaflet_is_the_sample_leaflet() -> None:
    """The leaflet init writes is the sample's English HSG leaflet (a clinician's
    corrections to one must be made to both), with a code of the clinic's own."""
    template, template_body = front_matter_and_body(PROJECT_TEMPLATE / "content" / "hsg" / "en.md")
    sample, sample_body = front_matter_and_body(REPO / "content" / "hsg" / "en.md")
    assert template_body == sample_body
    assert template.pop("code") == "CLINIC-RAD-001" and sample.pop("code") != "CLINIC-RAD-001"
    assert template == sample and template["status"] == "draft"


@pytest.mark.parametrize("command", [["init"], ["new"], ["new", "leaflet"], ["new", "comparison"]])
def test_help(cli, command: list[str]) -> None:
    result = cli(*command, "-h")
    assert result.exit_code == 0 and result.output.startswith("Usage: ")


def test_init_writes_a_project_that_checks_and_builds(cli, tmp_path: Path) -> None:
    result = cli("-C", tmp_path, "init", "clinic")
    assert result.exit_code == 0, result.output
    root = tmp_path / "clinic"
    assert result.stdout.splitlines() == [f"wrote {root / name}" for name in INIT_FILES] + [
        f"next: brochure -C {root} check, then brochure -C {root} build"
    ]
    assert result.stderr == ""
    check = cli("-C", root, "check")
    assert (check.exit_code, check.stdout) == (0, "ok: no problems found\n"), check.output
    build = cli("-C", root, "build")
    assert build.exit_code == 0, build.output
    pages = page_texts(root / "output" / "en" / "hsg.pdf")
    assert pages[0].startswith("Draft: not for patients\nYour Clinic Name\nYour HSG test")
    assert "Call us on 01632 960 000." in " ".join(pages).replace("\n", " ")
    gitignore = (root / ".gitignore").read_text(encoding="utf-8").split()
    assert {"output/", "release/", "outbox/", ".brochure/", "exports/"} <= set(gitignore)


def test_init_sample_appointments_make_a_message_each(cli, tmp_path: Path) -> None:
    """The sample leaflet is a draft: mail refuses it, and sends it marked DRAFT with --allow-drafts."""
    root = tmp_path / "clinic"
    assert cli("init", root).exit_code == 0
    refused = cli("-C", root, "mail", root / "sample-appointments.csv", "--dry-run")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        "failed appointment S-0001: refused by the release gate: content/hsg/en.md:5: status is 'draft', "
        "not 'approved': not for patients (brochure check --release says how to fix it; --allow-drafts "
        "sends it marked DRAFT, for testing)"
    )
    result = cli("-C", root, "mail", root / "sample-appointments.csv", "--dry-run", "--allow-drafts")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "would send appointment S-0001",
        "would send appointment S-0002",
        "2 read: 2 would send, 0 sent, 0 already sent, 0 skipped, 0 failed, 0 deferred, 0 unconfirmed",
    ]


def test_init_in_an_empty_folder_and_a_name_to_quote(cli, tmp_path: Path) -> None:
    (tmp_path / "my clinic").mkdir()
    result = cli("init", tmp_path / "my clinic")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[-1]
        == f"next: brochure -C '{tmp_path}/my clinic' check, then brochure -C '{tmp_path}/my clinic' build"
    )


def test_init_refuses_a_folder_with_files_or_a_file(cli, tmp_path: Path) -> None:
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli("init", tmp_path / "clinic")
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {tmp_path}/clinic is not empty (brochure init makes a project in a new or empty folder)\n",
    )
    assert [p.name for p in (tmp_path / "clinic").iterdir()] == ["notes.txt"]
    result = cli("init", tmp_path / "clinic" / "notes.txt")
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {tmp_path}/clinic/notes.txt is a file (brochure init makes a project in a new or empty folder)\n",
    )


@pytest.fixture
def clinic(cli, tmp_path: Path) -> Path:
    """A project just made by brochure init."""
    root = tmp_path / "clinic"
    assert cli("init", root).exit_code == 0
    return root


def test_new_leaflet_loads_checks_and_builds(cli, clinic: Path) -> None:
    result = cli("-C", clinic, "new", "leaflet", "coil-fitting", "--title", "Having a coil: what to expect")
    path = clinic / "content" / "coil-fitting" / "en.md"
    assert (result.exit_code, result.output) == (
        0,
        f"wrote {path}: write the leaflet in place of its text, then run 'brochure check'\n",
    )
    meta, body = front_matter_and_body(path)
    published, due = edition(dt.date.today()).values()
    assert meta["title"] == "Having a coil: what to expect" and meta["short_title"] == "Coil fitting"
    assert (meta["status"], meta["published"], meta["review_due"]) == ("draft", published, due)
    assert set(meta["facts"]) == set(FACT_KEYS) and meta["reviewed_by"] is None
    assert "::: help When to get help" in body
    template = (NEW_TEMPLATES / "leaflet.md").read_text(encoding="utf-8")
    comments = [line for line in template.splitlines() if line.startswith("#")]
    assert comments and all(line in path.read_text(encoding="utf-8").splitlines() for line in comments)
    check = cli("-C", clinic, "check")
    assert (check.exit_code, check.stdout) == (0, "ok: no problems found\n"), check.output
    assert cli("-C", clinic, "build", "coil-fitting").exit_code == 0
    text = page_texts(clinic / "output" / "en" / "coil-fitting.pdf")[0]
    assert "Having a coil: what to expect\n" in text and "What is it?" in text


def test_new_leaflet_title_made_from_its_name(cli, clinic: Path) -> None:
    assert cli("-C", clinic, "new", "leaflet", "coil-fitting").exit_code == 0
    meta, _ = front_matter_and_body(clinic / "content" / "coil-fitting" / "en.md")
    assert meta["title"] == meta["short_title"] == "Coil fitting"


def test_new_leaflet_in_the_clinics_default_language(cli, clinic: Path) -> None:
    edit(clinic / "content" / "clinic.yaml", "default_language: en", "default_language: es")
    assert cli("-C", clinic, "new", "leaflet", "dilatacion").exit_code == 0
    assert [p.name for p in (clinic / "content" / "dilatacion").iterdir()] == ["es.md"]


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("hsg", "Error: content/hsg already exists (choose another name)"),
        (
            "Coil_Fitting",
            "Error: 'Coil_Fitting' cannot name a document (use lowercase letters, digits and '-', like coil-fitting)",
        ),
        ("../up", "Error: '../up' cannot name a document (use lowercase letters, digits and '-', like coil-fitting)"),
        ("i18n", "Error: 'i18n' is the name of content/i18n/, which brochure keeps for its own files (choose another)"),
    ],
)
def test_new_leaflet_refuses_a_name(cli, clinic: Path, name: str, line: str) -> None:
    before = (clinic / "content" / "hsg" / "en.md").read_bytes()
    result = cli("-C", clinic, "new", "leaflet", name)
    assert (result.exit_code, result.output) == (2, line + "\n")
    assert sorted(p.name for p in (clinic / "content").iterdir()) == ["clinic.yaml", "hsg"]
    assert (clinic / "content" / "hsg" / "en.md").read_bytes() == before


def test_new_outside_a_project(cli, tmp_path: Path) -> None:
    result = cli("-C", tmp_path, "new", "leaflet", "coil")
    assert result.exit_code == 2 and result.output.startswith("Error: no brochure project in ")


def test_new_comparison_of_the_facts_both_leaflets_have(cli, clinic: Path) -> None:
    assert cli("-C", clinic, "new", "leaflet", "coil-fitting").exit_code == 0
    leaflet = clinic / "content" / "coil-fitting" / "en.md"
    edit(leaflet, "  pain: What it feels like.\n", "")
    edit(leaflet, "  can_treat: Whether it can treat a problem at the same visit.\n", "")
    result = cli("-C", clinic, "new", "comparison", "hsg-or-coil", "hsg", "coil-fitting")
    path = clinic / "content" / "hsg-or-coil" / "en.yaml"
    assert (result.exit_code, result.output) == (
        0,
        f"wrote {path}: its table has the 8 facts both leaflets have; write its intro and sections, then run 'brochure check'\n",
    )
    data = read_yaml(path.read_text(encoding="utf-8"))
    assert data["rows"] == [key for key in FACT_KEYS if key not in ("pain", "can_treat")]
    assert data["leaflets"] == ["hsg", "coil-fitting"] and data["title"] == "HSG or Coil fitting?"
    hsg, _ = front_matter_and_body(clinic / "content" / "hsg" / "en.md")
    assert data["sources"][: len(hsg["sources"])] == hsg["sources"] and len(data["sources"]) == len(hsg["sources"]) + 1
    assert data["status"] == "draft" and data["department"] == "Your department"  # the two differ
    check = cli("-C", clinic, "check")
    assert (check.exit_code, check.stdout) == (0, "ok: no problems found\n"), check.output
    assert cli("-C", clinic, "build", "hsg-or-coil").exit_code == 0
    text = page_texts(clinic / "output" / "en" / "hsg-or-coil.pdf")[0]
    assert "HSG or Coil fitting?" in text and "What it shows" in text and "Pain" not in text


def test_new_comparison_in_the_sample_project(cli, project: Path) -> None:
    result = cli("-C", project, "new", "comparison", "hysteroscopy-or-hsg", "hysteroscopy", "hsg")
    assert result.exit_code == 0, result.output
    data = read_yaml((project / "content" / "hysteroscopy-or-hsg" / "en.yaml").read_text(encoding="utf-8"))
    assert data["rows"] == list(FACT_KEYS) and data["leaflets"] == ["hysteroscopy", "hsg"]
    assert cli("-C", project, "build", "hysteroscopy-or-hsg").exit_code == 0


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("hsg-or-x", "hsg", "hsgg"), "Error: unknown leaflet 'hsgg' (did you mean 'hsg'?)"),
        (("hsg-or-x", "hsg", "hsg"), "Error: a comparison needs two different leaflets, not 'hsg' twice"),
        (("hsg", "hsg", "hsg"), "Error: content/hsg already exists (choose another name)"),
        (
            ("HSG-or-X", "hsg", "hsg"),
            "Error: 'HSG-or-X' cannot name a document (use lowercase letters, digits and '-', like coil-fitting)",
        ),
    ],
)
def test_new_comparison_refuses(cli, clinic: Path, args: tuple[str, ...], line: str) -> None:
    result = cli("-C", clinic, "new", "comparison", *args)
    assert (result.exit_code, result.output) == (2, line + "\n")
    assert sorted(p.name for p in (clinic / "content").iterdir()) == ["clinic.yaml", "hsg"]


def test_new_comparison_of_leaflets_without_a_fact_in_common(cli, clinic: Path) -> None:
    assert cli("-C", clinic, "new", "leaflet", "coil").exit_code == 0
    leaflet = clinic / "content" / "coil" / "en.md"
    text = leaflet.read_text(encoding="utf-8")
    leaflet.write_text(re.sub(r"(?ms)^facts:\n.*?(?=^#)", "facts:\n  pain: What it feels like.\n", text), encoding="utf-8")
    hsg = clinic / "content" / "hsg" / "en.md"
    edit(hsg, "  pain: Cramps like period pain, often worse if a tube is blocked.\n", "")
    line = hsg.read_text(encoding="utf-8").splitlines().index("facts:") + 1
    result = cli("-C", clinic, "new", "comparison", "hsg-or-coil", "hsg", "coil")
    assert (result.exit_code, result.output) == (
        1,
        f"{hsg}:{line}: 'hsg' and 'coil' have no fact in common (give both leaflets some of the same keys under 'facts:')\n",
    )
    assert not (clinic / "content" / "hsg-or-coil").exists()


def test_new_comparison_of_a_leaflet_that_does_not_load(cli, clinic: Path) -> None:
    assert cli("-C", clinic, "new", "leaflet", "coil").exit_code == 0
    edit(clinic / "content" / "coil" / "en.md", "short_title: Coil", "short_title: [Coil")
    result = cli("-C", clinic, "new", "comparison", "hsg-or-coil", "hsg", "coil")
    assert result.exit_code == 1
    assert re.fullmatch(rf"{clinic}/content/coil/en\.md:\d+: malformed YAML: .+\n", result.output)
