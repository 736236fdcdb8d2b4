"""Safe to hand out: status on every page, the release gate, check finding everything."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, SAMPLE_DOCS, edit, edit_layout, make_release_ready
from pypdf import PdfReader

import brochure

LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
AS_OF = "2027-01-15"  # a day on which the samples' reviews are not yet due


def strings_of(lang: str) -> dict[str, str]:
    """Some of a language's strings, read from its i18n file (one quoted value per line)."""
    text = (REPO / "brochure" / "defaults" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8")
    band = re.search(r"status_band:\n  draft: \"(.+)\"", text)
    unchecked = re.search(r'^translation_unchecked: "(.+)"', text, re.M)
    assert band and unchecked
    return {"band": band.group(1), "unchecked": unchecked.group(1)}


def squash(text: str) -> str:
    """Text without any whitespace: lines break differently in different readers and scripts."""
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it (it reads right-to-left lines in logical order), squashed."""
    return [squash(page.extract_text()) for page in PdfReader(path).pages]


# Status the reader can see ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_draft_status_on_every_page_of_every_layout(project: Path, lang: str) -> None:
    band = squash(strings_of(lang)["band"])
    paths = brochure.build(project, langs=[lang], formats=["pdf"])
    for layout in ("trifold", "large-print"):
        paths += brochure.build(project, langs=[lang], layout=layout, formats=["pdf"])
    assert len(paths) == 7
    for path in paths:
        for number, text in enumerate(page_texts(path), 1):
            panels = 3 if ".trifold" in path.name else 1
            found = text.count(band)
            assert found == panels, f"{path.name} page {number}: status shown {found} times, expected {panels}"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_unchecked_translation_says_so_on_page_one(built_all_langs: Path, lang: str) -> None:
    notice = squash(strings_of(lang)["unchecked"])
    for doc in SAMPLE_DOCS:
        assert notice in page_texts(built_all_langs / lang / f"{doc}.pdf")[0], f"{doc} [{lang}]"


def test_source_language_has_no_translation_notice(built: Path) -> None:
    with pdfplumber.open(built / "en" / "hsg.pdf") as pdf:
        assert squash(strings_of("en")["unchecked"]) not in squash(pdf.pages[0].extract_text() or "")


def test_status_in_the_pdf_metadata(built: Path, built_all_langs: Path) -> None:
    keywords = PdfReader(built / "en" / "hsg.pdf").metadata["/Keywords"]
    assert "status=draft" in keywords and "translation=source" in keywords and "code=RWH-RAD-007" in keywords
    assert re.search(r"translation=(draft|stale);", PdfReader(built_all_langs / "pl" / "hsg.pdf").metadata["/Keywords"])


def test_approved_document_has_no_status_band(project: Path) -> None:
    make_release_ready(project)
    path = brochure.build(project, docs=["hsg"])[0]
    with pdfplumber.open(path) as pdf:
        text = squash(" ".join(page.extract_text() or "" for page in pdf.pages))
    assert squash(strings_of("en")["band"]) not in text
    assert "status=approved" in PdfReader(path).metadata["/Keywords"]


def test_furniture_a_reviewer_expects(built: Path) -> None:
    with pdfplumber.open(built / "en" / "hysteroscopy.pdf") as pdf:
        pages = [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]
    for page in pages:
        assert "Leaflet RWH-GYN-014" in page  # the code in every page's footer
    whole = " ".join(pages)
    assert "This leaflet does not replace advice from your care team." in whole
    assert "Gynaecology department" in whole
    assert "To tell us what you think of this leaflet" in whole


# The release gate -----------------------------------------------------------------------


def test_check_release_fails_on_the_samples_with_a_line_per_reason(cli, project: Path) -> None:
    result = cli("-C", project, "check", "--release", "--as-of", AS_OF)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for doc, suffix in (("hsg", "md"), ("hysteroscopy", "md"), ("hsg-vs-hysteroscopy", "yaml")):
        for lang in LANGS:
            path = f"content/{doc}/{lang}.{suffix}"
            assert any(line.startswith(str(project / path)) and "status is 'draft', not 'approved'" in line for line in lines)
            if lang != "en":
                unchecked = ("not checked by a qualified medical translator", "stale translation")
                assert any(path in line and any(u in line for u in unchecked) for line in lines)
    assert "Traceback" not in result.output


def test_check_release_passes_on_a_release_ready_copy(cli, project: Path) -> None:
    make_release_ready(project)
    result = cli("-C", project, "check", "--release", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "ok: fit to release" in result.output


def test_expired_review_date_has_its_own_line(cli, project: Path) -> None:
    make_release_ready(project)
    result = cli("-C", project, "check", "--release", "--as-of", "2031-06-01")
    assert result.exit_code == 1
    path = project / "content" / "hsg" / "en.md"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("review_due:"))
    due = re.search(r"review_due: (\S+)", path.read_text()).group(1)
    assert f"{path}:{line}: its review was due on {due} (review it, then set a new review_due)" in result.output.splitlines()


def test_review_due_soon_is_a_warning(cli, project: Path) -> None:
    make_release_ready(project)
    dues = {
        path: dt.date.fromisoformat(re.search(r"review_due: (\S+)", path.read_text(encoding="utf-8")).group(1))
        for path in (project / "content").glob("*/*.*")
        if path.parent.name not in ("i18n", "assets", "figures")
    }
    first = min(dues.values())
    result = cli("-C", project, "check", "--release", "--as-of", (first - dt.timedelta(days=30)).isoformat())
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    for path, due in dues.items():
        if due == first:
            assert any(str(path) in line and f"its review is due on {due.isoformat()}, in 30 days" in line for line in warnings)


def test_approved_without_a_reviewer_has_its_own_line(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "status: draft", "status: approved")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    path = project / "content" / "hsg" / "en.md"
    assert f"{path}:5: status 'approved' needs 'reviewed_by' (add 'reviewed_by:' with the name, or set 'status: draft')" in (
        result.output.splitlines()
    )
    assert "needs 'approved_on'" in result.output


def test_stale_translation_has_its_own_line(cli, project: Path) -> None:
    make_release_ready(project)
    edit(project / "content" / "hsg" / "en.md", "## What is an HSG?", "## What is an HSG test?")
    result = cli("-C", project, "check", "--release", "--as-of", AS_OF)
    assert result.exit_code == 1
    stale = [line for line in result.output.splitlines() if "stale translation" in line]
    assert len(stale) == 6 and all("content/hsg/" in line for line in stale)


def test_overflowing_leaflet_has_its_own_line_in_check(cli, project: Path) -> None:
    path = project / "content" / "hysteroscopy" / "en.md"
    path.write_text(path.read_text() + "\n## More\n\n" + ("This sentence makes the leaflet longer. " * 40 + "\n\n") * 12)
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    overflows = [line for line in result.output.splitlines() if "does not fit" in line]
    assert any("'hysteroscopy' in 'en' with layout 'leaflet' does not fit its 4 pages" in line for line in overflows)
    assert any("with layout 'trifold' does not fit its 6 panels" in line for line in overflows)
    assert all(line.startswith(f"{path}: ") for line in overflows)


def test_text_above_grade_8_is_a_release_problem(cli, project: Path) -> None:
    make_release_ready(project)
    long_words = (
        "Hysterosalpingography necessitates intrauterine instrumentation, consequently occasioning considerable "
        "discomfort, particularly whenever tubal obstruction predominates physiologically. "
    )
    edit(project / "content" / "hsg" / "en.md", "## After the test\n", f"## After the test\n\n{long_words * 6}\n")
    result = cli("-C", project, "check", "--release", "--as-of", AS_OF)
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "Flesch-Kincaid" in line]
    assert re.search(r"hsg/en\.md:\d+: 'After the test' reads at grade \d+\.\d \(Flesch-Kincaid\), above 8", line)


def test_long_sentence_in_a_translation_is_a_release_problem(cli, project: Path) -> None:
    make_release_ready(project)
    sentence = " ".join(["palabra"] * 30) + "."
    path = project / "content" / "hsg" / "es.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip() + f"\n\n{sentence}\n", encoding="utf-8")
    result = cli("-C", project, "check", "--release", "--as-of", AS_OF)
    assert any(
        "content/hsg/es.md" in line and "has a sentence of 30 words, above the 25 allowed in 'es'" in line
        for line in result.output.splitlines()
    ), result.output


# check finds what build would refuse -------------------------------------------------------


def test_check_reports_every_stage_in_one_run(cli, project: Path) -> None:
    path = project / "content" / "hsg" / "en.md"
    text = path.read_text()
    text = re.sub(r"published: \S+", "published: 2026-02-30", text)
    text = text.replace("## After the test", "# After the test")
    text = text.replace("Call us on {{ clinic.phone }}.", "Call us on {{ clinic.phnoe }}.")
    path.write_text(text + "\n## More\n\n" + ("This sentence makes the leaflet longer. " * 40 + "\n\n") * 12)
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    out = result.output
    assert "'published' is not a real date: 2026-02-30 (day is out of range for month)" in out
    assert "unknown placeholder {{ clinic.phnoe }}" in out
    assert "heading level 1 is not used in leaflets" in out
    assert "'hsg' in 'en' with layout 'leaflet' does not fit its 4 pages" in out


def test_footer_placeholder_errors_on_any_page_are_found(cli, project: Path) -> None:
    base = edit_layout(project, "base", "type:", "type:")
    page_line = "- \"{{ t('page_x_of_y', page=page, pages=pages) }}\""
    edit(base, page_line, '- "{% if page > 1 %}{{ clinic.fax }}{% endif %}"')
    line = next(n for n, text in enumerate(base.read_text().splitlines(), 1) if "clinic.fax" in text)
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert f"{base}:{line}: 'page' can be printed in a footer, not tested or computed with" in result.output
    assert cli("-C", project, "build").exit_code == 1


def test_unknown_footer_placeholder_is_found_by_check(cli, project: Path) -> None:
    base = edit_layout(project, "base", "type:", "type:")
    page_line = "{{ t('page_x_of_y', page=page, pages=pages) }}"
    edit(base, page_line, page_line + " {{ clinic.fax }}")
    result = cli("-C", project, "check")
    assert result.exit_code == 1 and "unknown placeholder {{ clinic.fax }}" in result.output


def test_a_footer_too_tall_for_its_margin_is_found_by_check(cli, project: Path) -> None:
    edit_layout(project, "base", "bottom: 20mm", "bottom: 10mm")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    path = project / "content" / "hsg" / "en.md"
    line = (
        f"{path}: 'hsg' in 'en' with layout 'leaflet': the footer needs 30pt, but the bottom margin leaves it 10pt"
        " (shorten the footer lines, or make the layout's bottom margin (page: margins: bottom:) larger)"
    )
    assert line in result.output.splitlines()
    assert "Traceback" not in result.output
    build = cli("-C", project, "build", "hsg")
    assert build.exit_code == 1 and line in build.output.splitlines()


# build --release ----------------------------------------------------------------------------


def test_build_release_refuses_drafts_and_builds_what_passes(cli, project: Path) -> None:
    make_release_ready(project)
    edit(project / "content" / "hysteroscopy" / "en.md", "status: approved", "status: draft")
    old = [project / "release" / "en" / f"hysteroscopy.{suffix}" for suffix in ("pdf", "html")]
    old[0].parent.mkdir(parents=True)
    for path in old:
        path.write_bytes(b"an approved copy from an earlier release")
    result = cli("-C", project, "build", "--release", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"wrote {project / 'release' / 'en' / 'hsg.pdf'}" in result.output
    assert f"wrote {project / 'release' / 'en' / 'hsg.html'}" in result.output
    assert "content/hysteroscopy/en.md:5: status is 'draft', not 'approved'" in result.output
    assert not any(path.exists() for path in old), "a refused document is removed from the release folder"
    assert (project / "release" / "en" / "hsg-vs-hysteroscopy.pdf").is_file()
    assert not (project / "output" / "en").exists()


def test_plain_build_still_builds_drafts(cli, project: Path) -> None:
    result = cli("-C", project, "build")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 6  # a PDF and a page for each document
