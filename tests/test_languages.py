"""Every document in every language: text, fonts, direction, line breaking."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from conftest import REPO, SAMPLE_DOCS, edit
from pypdf import PdfReader

import brochure
from brochure.load.project import layout_name, load_project
from brochure.prepare.fill import Filler
from brochure.review.translations import source_hash, untranslated, unused_strings

LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
PDF_LANG = {"en": "en-GB", "ar": "ar", "es": "es-ES", "hi": "hi-IN", "pl": "pl-PL", "vi": "vi-VN", "zh-Hans": "zh-Hans-CN"}
CHINESE_CLOSING = "，。、；：？！）》〉」』】〕”’…"


@pytest.fixture(scope="session")
def sample():
    project, problems = load_project(REPO)
    assert not problems
    return project


def pdfium_text(path: Path) -> str:
    """Text as PDFium extracts it (it honours ActualText, so Arabic comes back logical)."""
    pdf = pdfium.PdfDocument(path)
    return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def pypdf_text(path: Path) -> str:
    """Text as pypdf extracts it (from the ToUnicode map; it orders right-to-left lines)."""
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_all_languages_build(built_all: Path) -> None:
    project, _ = load_project(built_all)
    pdfs = sorted(built_all.glob("output/*/*.pdf"))
    assert len(pdfs) == 21
    for pdf in pdfs:
        limit = project.layouts[layout_name(project.documents[(pdf.stem, pdf.parent.name)])].page_limit
        assert 1 <= len(PdfReader(pdf).pages) <= limit, f"{pdf} is longer than its layout's {limit} pages"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_title_and_headings_extract(built_all: Path, sample, lang: str, doc: str) -> None:
    source = sample.documents[(doc, lang)]
    pdf = built_all / "output" / lang / f"{doc}.pdf"
    text = normal(pypdf_text(pdf) if lang == "ar" else pdfium_text(pdf))
    expected = [source.meta.title.source]
    if hasattr(source, "body"):
        expected += re.findall(r"^## (.+)$", source.body.source, flags=re.M)
    else:
        expected += [s.heading.source for s in source.sections]
    if lang == "hi":
        # Shaped Devanagari conjuncts extract as private-use glyphs; compare the words
        # without conjuncts, by their consonants.
        skeleton = re.compile(r"[^\u0915-\u0939A-Za-z0-9]")
        expected = [skeleton.sub("", w) for e in expected for w in e.split() if "\u094d" not in w]
        text = skeleton.sub("", text)
    if lang == "ar":
        # Words come back in logical order; a line mixing Arabic and Latin may not.
        expected = [w for e in expected for w in re.findall(r"\w+", e)]
    for phrase in expected:
        assert normal(phrase) in text, f"{phrase!r} not found in {lang}/{doc}"


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_language_and_fonts(built_all: Path, lang: str) -> None:
    for doc in SAMPLE_DOCS:
        reader = PdfReader(built_all / "output" / lang / f"{doc}.pdf")
        assert reader.trailer["/Root"]["/Lang"] == PDF_LANG[lang]
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                name = str(font["/BaseFont"])
                assert "Helvetica" not in name
                assert "/FontFile2" in font["/FontDescriptor"].get_object(), name


@pytest.mark.parametrize(
    ("lang", "date"),
    [
        ("es", "1 de diciembre de 2026"),
        ("pl", "1 grudnia 2026"),
        ("zh-Hans", "2026年12月1日"),
        ("vi", "ngày 1 tháng 12 năm 2026"),
    ],
)
def test_footer_dates_in_the_language(built_all: Path, lang: str, date: str) -> None:
    assert date in normal(pdfium_text(built_all / "output" / lang / "hsg.pdf"))


def test_babel_dates() -> None:
    import datetime as dt

    for locale, expected in (("es_ES", "12 de marzo de 2027"), ("pl_PL", "12 marca 2027")):
        strings = load_project(REPO)[0].strings["es"]
        filler = Filler(type(strings)(**{**strings.__dict__, "locale": locale}), {}, [])
        assert filler.format_date(dt.date(2027, 3, 12)) == expected


def test_arabic_is_shaped_and_extracts_logically(built_all: Path, sample) -> None:
    text = normal(pypdf_text(built_all / "output" / "ar" / "hsg.pdf"))
    for phrase in ("معلومات للمريضات", "مسودة: لم يراجعها طبيب. لا تعطوها للمرضى.", "فالوب", "الفحص"):
        assert phrase in text


def rtl_markers_pdf(tmp_path: Path, markup: str, width: float) -> Path:
    """A one-paragraph PDF set with the right-to-left paragraph of the renderer."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from brochure.write.pdf.fonts import chain_for, register, with_fallback
    from brochure.write.pdf.shaped import ShapedParagraph

    register("NotoSansArabic")
    register("NotoSans")
    style = ParagraphStyle("p", fontName="NotoSansArabic", fontSize=12, leading=18)
    path = tmp_path / "rtl.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=(width + 40, 800), leftMargin=20, rightMargin=20, invariant=1)
    chain = chain_for("NotoSansArabic")
    # Font fallback for the text between the markup's tags and entities.
    pieces = re.split(r"(<[^>]+>|&\w+;)", markup)
    marked = "".join(p if re.fullmatch(r"<[^>]+>|&\w+;", p) else with_fallback(p, chain) for p in pieces if p)
    doc.build([ShapedParagraph(marked, style, rtl=True)])
    return path


def lines_of_markers(path: Path) -> list[list[str]]:
    """The Latin marker words of each line, left to right."""
    with pdfplumber.open(path) as pdf:
        words = [w for w in pdf.pages[0].extract_words() if re.fullmatch(r"[A-Z]+\d*", w["text"])]
    rows: dict[int, list[dict]] = {}
    for w in words:
        rows.setdefault(round(w["top"]), []).append(w)
    return [[w["text"] for w in sorted(row, key=lambda w: w["x0"])] for _, row in sorted(rows.items())]


def test_arabic_word_order_right_to_left_across_lines(tmp_path: Path) -> None:
    # Logical order W1 W2 ... with Arabic words, bold runs and an entity between them.
    markup = " ".join(f"<b>W{i}</b> كلمة &amp; فحص" if i % 2 else f"W{i} الرحم" for i in range(1, 25))
    lines = lines_of_markers(rtl_markers_pdf(tmp_path, markup, 260))
    assert len(lines) > 3, "the paragraph should wrap"
    flat = []
    for line in lines:
        numbers = [int(w[1:]) for w in line]
        # On each line the rightmost word comes first logically.
        assert numbers == sorted(numbers, reverse=True), line
        flat += sorted(numbers)
    assert flat == list(range(1, 25)), "lines follow each other in logical order"


def test_numbers_inside_arabic_keep_their_digits_in_order(tmp_path: Path) -> None:
    path = rtl_markers_pdf(tmp_path, "AAA نحو 95% و 1234 من BBB", 400)
    with pdfplumber.open(path) as pdf:
        words = {w["text"]: w for w in pdf.pages[0].extract_words()}
    assert "1234" in words, "digits of a number stay left to right"
    assert words["AAA"]["x0"] > words["1234"]["x0"] > words["BBB"]["x0"]


def test_arabic_comparison_is_mirrored(built_all: Path) -> None:
    with pdfplumber.open(built_all / "output" / "ar" / "hsg-vs-hysteroscopy.pdf") as pdf:
        page = pdf.pages[0]
        hsg_head = [w for w in page.extract_words() if w["text"] == "HSG"]
        # The header row: its HSG cell sits right of centre, the hysteroscopy column left of it.
        table = page.find_tables()[0] if page.find_tables() else None
        header_hsg = max(hsg_head, key=lambda w: w["top"] if w["top"] < page.height / 2 else 0)
        label_fill = [r for r in page.rects if r["x0"] > page.width * 0.6 and r["height"] > 20]
        mid = page.width / 2
    assert header_hsg["x0"] > mid, "HSG column right of the hysteroscopy column"
    assert label_fill, "label column background on the right"
    assert min(r["x0"] for r in label_fill) > header_hsg["x1"], "labels right of HSG"
    del table


def test_english_comparison_is_not_mirrored(built_all: Path) -> None:
    with pdfplumber.open(built_all / "output" / "en" / "hsg-vs-hysteroscopy.pdf") as pdf:
        page = pdf.pages[0]
        hsg = next(
            w for w in page.extract_words() if w["text"] == "HSG" and w["x0"] > page.width * 0.2 and w["x0"] < page.width * 0.5
        )
        hyst = next(w for w in page.extract_words() if w["text"] == "Hysteroscopy")
    assert hsg["x0"] < hyst["x0"]


def test_chinese_lines_never_start_with_closing_punctuation(built_all: Path) -> None:
    checked = 0
    for doc in SAMPLE_DOCS:
        with pdfplumber.open(built_all / "output" / "zh-Hans" / f"{doc}.pdf") as pdf:
            for page in pdf.pages:
                chars = page.chars
                for c in chars:
                    if c["text"] not in CHINESE_CLOSING:
                        continue
                    checked += 1
                    before = [o for o in chars if abs(o["top"] - c["top"]) < 2 and -2 < c["x0"] - o["x1"] < 4 and o is not c]
                    assert before, f"{doc}: line starts with {c['text']!r} on page {page.page_number}"
    assert checked > 50


def test_chinese_is_not_boxes(built_all: Path) -> None:
    text = normal(pdfium_text(built_all / "output" / "zh-Hans" / "hsg.pdf"))
    assert "输卵管" in text and "检查" in text
    with pdfplumber.open(built_all / "output" / "zh-Hans" / "hsg.pdf") as pdf:
        fonts = {c["fontname"] for c in pdf.pages[0].chars if "\u4e00" <= c["text"] <= "\u9fff"}
    assert fonts and all("NotoSansSC" in f for f in fonts)


def test_latin_term_in_chinese_and_hindi_uses_a_font_with_glyphs(built_all: Path) -> None:
    for lang in ("zh-Hans", "hi", "ar"):
        with pdfplumber.open(built_all / "output" / lang / "hsg.pdf") as pdf:
            hsg = [c for c in pdf.pages[0].chars if c["text"] and c["text"] in "HSG"]
        assert hsg and all(c["width"] > 3 for c in hsg), lang


def test_vietnamese_is_nfc_on_the_page(built_all: Path) -> None:
    text = pdfium_text(built_all / "output" / "vi" / "hsg.pdf")
    assert text == unicodedata.normalize("NFC", text)
    assert "Chụp" in text


def test_vietnamese_speaks_to_the_reader_as_chi_throughout() -> None:
    # One register in every leaflet, string and email: "chị", never "bạn" beside it.
    files = [REPO / "brochure" / "defaults" / "i18n" / "vi.yaml", *sorted((REPO / "content").glob("*/vi.*"))]
    texts = {path.name: unicodedata.normalize("NFC", path.read_text(encoding="utf-8")) for path in files}
    assert all("chị" in text.lower() for text in texts.values())
    assert not [name for name, text in texts.items() if re.search(r"\bbạn\b", text, re.I)]


def test_every_character_has_a_glyph(sample) -> None:
    report = brochure.check(REPO)
    assert not [p for p in report.problems if "glyph" in p.message]


def test_a_character_no_font_has_is_reported(project: Path) -> None:
    edit(project / "content" / "hsg" / "es.md", "## ", "## \U0001f984 ")
    report = brochure.check(project)
    assert any("no font has a glyph" in p.message and "U+1F984" in p.message for p in report.problems)


def mark_translations_current(project: Path) -> None:
    """Record in every translation the current fingerprint of its English source."""
    for path in sorted(p for p in (project / "content").glob("*/*.*") if p.suffix in (".md", ".yaml")):
        text = path.read_text(encoding="utf-8")
        if "source_hash:" in text:
            current = source_hash(path.with_name("en" + path.suffix))
            path.write_text(re.sub(r"source_hash: \S+", f"source_hash: {current}", text), encoding="utf-8")


def test_stale_translation_after_changing_the_english(project: Path, cli) -> None:
    mark_translations_current(project)
    assert "stale translation" not in cli("-C", project, "check").output
    edit(project / "content" / "hsg" / "en.md", "## ", "## Your test: ")
    result = cli("-C", project, "-v", "check")
    stale = [line for line in result.output.splitlines() if "stale translation" in line]
    assert len(stale) == 6 and all("content/hsg/" in line for line in stale)
    assert result.exit_code == 0
    assert cli("-C", project, "check", "--strict").exit_code == 1
    assert "stale " in cli("-C", project, "list").output


def test_missing_translation_is_an_error_unless_skipped(project: Path, cli) -> None:
    (project / "content" / "hsg-vs-hysteroscopy" / "pl.yaml").unlink()
    result = cli("-C", project, "build", "--lang", "pl")
    assert result.exit_code == 1
    assert "missing translation of 'hsg-vs-hysteroscopy' into 'pl'" in result.output
    assert "content/hsg-vs-hysteroscopy/pl.yaml" in result.output
    assert not (project / "output" / "pl").exists()
    result = cli("-C", project, "build", "--lang", "pl", "--skip-missing", "--format", "pdf")
    assert result.exit_code == 0
    assert sorted(p.name for p in (project / "output" / "pl").iterdir()) == ["hsg.pdf", "hysteroscopy.pdf"]
    assert "missing" in cli("-C", project, "list").output


def test_translations_are_marked_as_drafts(sample) -> None:
    for (_, lang), doc in sample.documents.items():
        if lang == "en":
            assert doc.meta.translation is None
            continue
        t = doc.meta.translation
        assert t is not None and t.source == "en" and not t.checked_by
        assert "not checked" in t.translated_by


def test_translate_starts_a_tracked_draft(project: Path, cli) -> None:
    result = cli("-C", project, "translate", "hysteroscopy", "fr")
    assert result.exit_code == 0, result.output
    text = (project / "content" / "hysteroscopy" / "fr.md").read_text(encoding="utf-8")
    assert "translation:\n  source: en\n  source_hash: " in text
    assert (project / "content" / "i18n" / "fr.yaml").is_file()
    clinic = project / "content" / "clinic.yaml"
    line = clinic.read_text(encoding="utf-8").splitlines().index("opening_hours:") + 1
    assert f"to do: {clinic}:{line}: 'opening_hours' needs a 'fr' text (add 'fr:' under 'opening_hours:')" in result.output
    again = cli("-C", project, "translate", "hysteroscopy", "fr")
    assert again.exit_code == 1 and "already exists (translate it there, or delete it to start again)" in again.output
    unknown = cli("-C", project, "translate", "hysteroscopy", "de", "--from", "xx")
    assert unknown.exit_code == 2 and "'hysteroscopy' is not written in 'xx' (it is in: ar, en, es, fr," in unknown.output
    assert cli("-C", project, "translate", "nope", "fr").exit_code == 2

    check = cli("-C", project, "check")
    strings = project / "content" / "i18n" / "fr.yaml"
    assert check.exit_code == 1
    assert f"{strings}:4: 'language_name' is not filled in (write it, e.g. 'language_name: Français')" in check.output
    assert f"{strings}:5: 'locale' is not filled in (write it, e.g. 'locale: fr-FR')" in check.output
    assert (
        f"warning: {project / 'content' / 'hysteroscopy' / 'fr.md'}: the text is the same as its source (en) (translate it)"
        in check.output
    )
    assert re.search(rf"warning: {re.escape(str(strings))}: \d+ strings are the same as in en", check.output)
    assert "is not one of brochure's strings" not in check.output  # a whole copy of the strings


def test_a_misspelt_string_key_is_a_warning_at_its_line(project: Path, cli) -> None:
    """A project's own string under a key brochure does not have changes nothing: the
    clinic's email text would silently stay the built-in one. A key its own layout names
    (t('my_note')) is the project's and is used."""
    strings = project / "content" / "i18n" / "en.yaml"
    strings.parent.mkdir(parents=True, exist_ok=True)
    strings.write_text("emial_body: |\n  Hello {{ appointment.name }}\nmy_note: Ours\nunused_note: Nobody's\n")
    (project / "layouts" / "leaflet.yaml").write_text("extends: leaflet\n# a footer of our own: t('my_note')\n")
    check = cli("-C", project, "check")
    assert check.exit_code == 0, check.output
    warnings = [line for line in check.output.splitlines() if "not one of brochure's strings" in line]
    assert warnings == [
        f"warning: {strings}:1: 'emial_body' is not one of brochure's strings, and nothing uses it (did you mean 'email_body'?)",
        f"warning: {strings}:4: 'unused_note' is not one of brochure's strings, and nothing uses it"
        " (use it as t('unused_note') in a layout or content file, or remove it)",
    ]


def test_the_labels_of_a_projects_own_figure_are_used_strings(project: Path) -> None:
    figure = (Path(brochure.__file__).parent / "defaults" / "figures" / "hsg.yaml").read_text(encoding="utf-8")
    (project / "content" / "figures").mkdir(parents=True, exist_ok=True)
    (project / "content" / "figures" / "hsg.yaml").write_text(figure.replace("id: womb", "id: fundus"), encoding="utf-8")
    strings = project / "content" / "i18n" / "en.yaml"
    strings.parent.mkdir(parents=True, exist_ok=True)
    strings.write_text("figure:\n  fundus: Fundus\n  fundsu: Fundus\n", encoding="utf-8")
    loaded, _ = load_project(project)
    assert [p.message for p in unused_strings(loaded)] == [
        "'figure.fundsu' is not one of brochure's strings, and nothing uses it"
    ]


def test_the_fill_in_examples_are_the_languages_own(project: Path, cli) -> None:
    assert cli("-C", project, "translate", "hsg", "de").exit_code == 0
    strings = project / "content" / "i18n" / "de.yaml"
    text = strings.read_text(encoding="utf-8")
    assert "e.g. Deutsch" in text and "e.g. de-DE" in text and "Français" not in text
    check = cli("-C", project, "check")
    assert f"{strings}:4: 'language_name' is not filled in (write it, e.g. 'language_name: Deutsch')" in check.output
    assert f"{strings}:5: 'locale' is not filled in (write it, e.g. 'locale: de-DE')" in check.output


def test_translate_from_a_translation_writes_one_record_and_a_draft(project: Path, cli) -> None:
    edit(project / "content" / "hsg" / "es.md", "status: draft", "status: reviewed\nreviewed_on: 2026-11-01")
    edit(project / "content" / "hsg" / "es.md", "reviewed_by: null", "reviewed_by: Dr A Example")
    result = cli("-C", project, "translate", "hsg", "pt", "--from", "es")
    assert result.exit_code == 0, result.output
    text = (project / "content" / "hsg" / "pt.md").read_text(encoding="utf-8")
    assert text.count("translation:") == 1 and "translation:\n  source: es\n" in text
    assert "status: draft" in text and "reviewed_by" not in text and "reviewed_on" not in text
    found = cli("-C", project, "check")
    assert "content/hsg/pt.md" in found.output  # loads: only what is left to translate is reported
    assert not [line for line in found.output.splitlines() if "pt.md" in line and ("malformed" in line or "duplicate" in line)]


def test_phone_number_reads_left_to_right_in_arabic(built_all: Path) -> None:
    found = 0
    for doc in SAMPLE_DOCS:
        with pdfplumber.open(built_all / "output" / "ar" / f"{doc}.pdf") as pdf:
            for page in pdf.pages:
                words = page.extract_words()
                for first in (w for w in words if "01632" in w["text"]):
                    line = [w for w in words if abs(w["top"] - first["top"]) < 2]
                    middle = next(w for w in line if w["text"].startswith("960"))
                    last = next(w for w in line if w["text"].startswith("123"))
                    assert first["x0"] < middle["x0"] < last["x0"], f"{doc}: phone digits out of order"
                    found += 1
    assert found >= 5  # help boxes and contact boxes


def test_the_clinic_may_declare_its_languages(project: Path, cli) -> None:
    edit(project / "content" / "clinic.yaml", "default_language: en", "default_language: en\nlanguages: [es, en]")
    result = cli("-C", project, "build", "hsg", "--lang", "all", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert sorted(line.split("/")[-2] for line in result.output.splitlines()) == ["en", "es"]
    edit(project / "content" / "clinic.yaml", "languages: [es, en]", "languages: [es, en, fr]")
    result = cli("-C", project, "check")
    line = (project / "content" / "clinic.yaml").read_text(encoding="utf-8").splitlines().index("languages: [es, en, fr]") + 1
    assert result.exit_code == 1
    assert (
        f"{project / 'content' / 'clinic.yaml'}:{line}: language 'fr' has no strings"
        " (create content/i18n/fr.yaml; brochure translate makes one)" in result.output
    )


@pytest.mark.parametrize(
    ("lang", "strings", "message"),
    [
        (
            "en",
            "direction: rtl\n",
            "'direction' is rtl, but English (United Kingdom) is written left to right (set 'direction: ltr')",
        ),
        ("ar", "direction: ltr\n", "'direction' is ltr, but Arabic is written right to left (set 'direction: rtl')"),
        (
            "hi",
            "script: latin\n",
            "'script' is latin, but Hindi (India) is written in devanagari script (set 'script: devanagari')",
        ),
        (
            "zh-Hans",
            "script: arabic\n",
            "'script' is arabic, but Chinese (Simplified, China) is written in han script (set 'script: han')",
        ),
    ],
)
def test_a_direction_or_script_the_language_is_not_written_in_is_refused(
    project: Path, cli, lang: str, strings: str, message: str
) -> None:
    """English set right to left would be typeset right-aligned, Hindi in a Latin font as
    missing glyphs: each is one line at the setting, and nothing is built."""
    path = project / "content" / "i18n" / f"{lang}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(strings, encoding="utf-8")
    for command in ("check", "build"):
        result = cli("-C", project, command, "hsg", "-l", lang) if command == "build" else cli("-C", project, command)
        assert result.exit_code == 1, result.output
        assert f"{path}:1: {message}" in result.output.splitlines(), result.output


def test_a_new_languages_strings_start_in_its_own_direction_and_script(project: Path, cli) -> None:
    assert cli("-C", project, "translate", "hsg", "ur").exit_code == 0
    text = (project / "content" / "i18n" / "ur.yaml").read_text(encoding="utf-8")
    assert "\ndirection: rtl\n" in text and "\nscript: arabic\n" in text


def test_a_language_written_top_to_bottom_is_no_internal_error(project: Path) -> None:
    """CLDR writes Mongolian in its own script top to bottom: neither of brochure's directions."""
    loaded, _ = load_project(project)
    strings = replace(loaded.strings["en"], locale="mn-Mong-CN")
    problems: list = []
    assert Filler(strings, {}, problems).locale == "mn_Mong_CN"
    assert not [p for p in problems if "direction" in p.message]


def test_the_built_in_strings_are_not_warned_of_even_inside_the_project() -> None:
    """This repository is a project whose root holds the package: its built-in strings are
    brochure's, not the project's to translate."""
    loaded, _ = load_project(REPO)
    assert untranslated(loaded) == [] and unused_strings(loaded) == []


@pytest.mark.parametrize(
    ("strings", "message"),
    [
        ('date_format: "ss"', "'date_format' 'ss' is not a date with its day, month and year"),
        ('date_format: ""', "'date_format' '' is not a date with its day, month and year"),
        ('date_format: "qqqq"', "'date_format' 'qqqq' is not a date with its day, month and year"),
        ("sentence_limit: 0", "'sentence_limit' is 0 (a whole number of words, 1 or more)"),
        ('summary_heading: ""', "'summary_heading' is empty (write its text, or remove it to use the built-in one)"),
        ('colon: " ------ "', "'colon' is 8 characters; it goes between every label and its value (at most 4, as ': ' or '：')"),
        ("sentence_limit: 2.7", "'sentence_limit' is 2.7 (a whole number of words, 1 or more)"),
    ],
)
def test_a_date_format_or_sentence_limit_that_means_nothing_is_refused(project: Path, cli, strings: str, message: str) -> None:
    """A footer with no dates, or a time where the date goes, or a release gate that refuses
    every sentence: each is one line at the setting, never an internal error."""
    path = project / "content" / "i18n" / "en.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(strings + "\n", encoding="utf-8")
    result = cli("-C", project, "check")
    assert result.exit_code == 1, result.output
    assert f"{path}:1: {message}" in result.output and "internal error" not in result.output


def test_a_figure_label_without_its_string_is_a_problem_for_check_not_an_internal_error(project: Path, cli) -> None:
    figure = (Path(brochure.__file__).parent / "defaults" / "figures" / "hsg.yaml").read_text(encoding="utf-8")
    (project / "content" / "figures").mkdir(parents=True, exist_ok=True)
    (project / "content" / "figures" / "hsg.yaml").write_text(figure.replace("id: dye", "id: spleen"), encoding="utf-8")
    for command in (["check"], ["build", "hsg", "--lang", "en"]):
        result = cli("-C", project, *command)
        assert result.exit_code == 1, result.output
        assert "missing string 'figure.spleen', a label of figure 'hsg'" in result.output
        assert "internal error" not in result.output


def test_a_string_may_name_the_clinic_and_the_document(project: Path, cli) -> None:
    strings = project / "content" / "i18n" / "en.yaml"
    strings.parent.mkdir(parents=True, exist_ok=True)
    strings.write_text('contact_heading: "Contact {{ clinic.name }}"\nsummary_heading: "{{ doc.title }}: in short"\n')
    result = cli("-C", project, "build", "hsg", "--lang", "en", "--format", "pdf")
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(project / "output" / "en" / "hsg.pdf").pages)
    assert "Contact Riverside Women's Health Clinic" in text and "Your HSG test: in short" in text
