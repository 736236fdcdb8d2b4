"""Load content/: the clinic profile, i18n strings, leaflets and comparisons.

Each loader checks its file against the declared fields and appends every
problem it finds, with file and line, to a shared list.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
import zoneinfo
from functools import cache
from pathlib import Path
from typing import Any

from ..defaults import DEFAULTS, shown
from ..errors import Problem, did_you_mean
from ..model import (
    FACT_KEYS,
    LOCALISED_CLINIC_FIELDS,
    STATUSES,
    AppointmentFormat,
    Clinic,
    Comparison,
    FigureSpec,
    Leaflet,
    MailSettings,
    Meta,
    Section,
    Strings,
    Text,
    Translation,
)
from ..scripts import SCRIPTS
from .assets import LogoError, check_logo
from .schema import Fields, as_written, parse_yaml

CLINIC_KEYS = (
    "online_copy",
    "procedures",
    "appointment_columns",
    "appointment_format",
    "appointment_status",
    "timezone",
    "languages",
    "mail",
    "name",
    "address",
    "phone",
    "email",
    "website",
    "opening_hours",
    "out_of_hours",
    "feedback",
    "results_time",
    "logo",
    "colours",
    "print_colours",
    "default_language",
    "paper",
)
CLINIC_REQUIRED = ("name", "address", "phone", "email", "opening_hours", "out_of_hours", "feedback", "default_language")
META_KEYS = (
    "title",
    "subtitle",
    "status",
    "version",
    "published",
    "review_due",
    "reviewed_by",
    "reviewed_on",
    "approved_by",
    "approved_on",
    "code",
    "department",
    "layout",
    "sources",
    "translation",
)
TRANSLATION_KEYS = ("source", "source_hash", "translated_by", "checked_by")
LEAFLET_KEYS = META_KEYS + ("short_title", "summary", "facts", "appointment_note", "figure")
COMPARISON_KEYS = META_KEYS + ("leaflets", "rows", "intro", "sections")
META_REQUIRED = ("title", "subtitle", "status", "version", "published", "review_due", "code", "department", "sources")
# Who signs off a document at each status, and when: the keys each status needs.
SIGN_OFF = {"reviewed": ("reviewed_by", "reviewed_on"), "approved": ("reviewed_by", "reviewed_on", "approved_by", "approved_on")}
STRINGS_REQUIRED = (
    "language_name",
    "locale",
    "direction",
    "summary_heading",
    "contact_heading",
    "phone_label",
    "email_label",
    "website_label",
    "hours_label",
    "sources_heading",
    "other_formats",
    "version_n",
    "published_on",
    "review_due_on",
    "page_x_of_y",
    "status.draft",
    "status.reviewed",
    "status_band.draft",
    "status_band.reviewed",
    "translation_unchecked",
    "not_advice",
    "leaflet_code",
    "qr_caption",
    "appointment_heading",
    "appointment_name_label",
    "appointment_when_label",
    "appointment_where_label",
    "appointment_when",
    "email_subject",
    "email_subject_update",
    "email_body",
    "appointment_notes_label",
    "email_subject_cancel",
    "email_body_cancel",
    "email_changed",
    "change_date",
    "change_time",
    "change_place",
    "change_details",
    "email_attachments",
    "email_password",
    "email_subject_draft",
    "email_draft",
    "invitation_summary",
) + tuple(f"facts.{key}" for key in FACT_KEYS)
PAPERS = ("a4", "letter")
PHONE = re.compile(r"\+?[\d ()\-./]*\d[\d ()\-./]*")
EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+")
TEMPLATE_MARK = re.compile(r"\{\{|\{%")
SUMMARY_POINTS = (3, 5)  # the fewest and most points of a leaflet's summary box

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
NO_DATE = dt.date(1970, 1, 1)  # stands in for a date already reported missing
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # tab and new lines are text
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """A file's text as UTF-8, or None (with a problem) if it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark is not part of the text
        check_characters(path, text, problems)
        return text
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8", root=True))
    except FileNotFoundError:
        problems.append(Problem(path, None, "no such file", f"create {path.name}", root=True))
    except OSError as exc:
        problems.append(Problem(path, None, f"cannot read file: {exc.strerror}", "check it is a file you may read", root=True))
    return None


def check_characters(path: Path, text: str, problems: list[Problem]) -> None:
    """Report the first control character of a file: an invisible one, or a bidi override,
    embedding or isolate, which could reorder or hide what a patient reads."""
    found = list(HIDDEN.finditer(text))
    if not found:
        return
    char, line = found[0].group(), text.count("\n", 0, found[0].start()) + 1
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    name = f" ({unicodedata.name(char)})" if unicodedata.name(char, "") else ""
    message = f"the text holds the control character U+{ord(char):04X}{name}{more}"
    problems.append(Problem(path, line, message, "delete it: it is invisible, or it reorders the text"))


def load_yaml_file(path: Path, problems: list[Problem]) -> Any:
    """A YAML file's data, or None if it cannot be read or parsed."""
    text = read_text(path, problems)
    return None if text is None else parse_yaml(path, text, 1, problems)


def load_clinic(root: Path, problems: list[Problem]) -> Clinic:
    """Read content/clinic.yaml."""
    path = root / "content" / "clinic.yaml"
    if not path.exists():
        hint = "create content/clinic.yaml: 'brochure init DIR' writes one with every key explained"
        problems.append(Problem(path, None, "no clinic profile", hint, root=True))
    f = Fields(load_yaml_file(path, problems) if path.exists() else None, path, 1, problems)
    f.check_keys(CLINIC_KEYS, CLINIC_REQUIRED)
    f.no_empty(("website", "logo", "online_copy", "results_time", "timezone", "paper", "languages"))
    logo = None
    if f.raw("logo") is not None:
        logo = root / "content" / f.text("logo")
        if not logo.is_file():
            f.problem("logo", f"logo file not found: {f.text('logo')}", "put the file under content/ or fix the path")
            logo = None
        else:
            try:
                check_logo(logo)
            except LogoError as exc:
                f.problem("logo", f"logo {f.text('logo')}: {exc}", "save it again as SVG or PNG")
                logo = None
    check_contact_details(f)
    colours = f.sub("colours")
    for key in colours.data:
        colours.colour(str(key), required=True)
    return Clinic(
        path=path,
        name=f.text("name"),
        address=f.text_list("address"),
        phone=f.text("phone"),
        email=f.text("email"),
        website=f.text("website"),
        opening_hours=localised(f, "opening_hours"),
        out_of_hours=localised(f, "out_of_hours"),
        feedback=localised(f, "feedback"),
        results_time=localised(f, "results_time") if "results_time" in f.data else {},
        logo=logo,
        colours={str(k): colours.text(str(k)) for k in colours.data},
        default_language=f.text("default_language", "en"),
        paper=f.choice("paper", PAPERS, "a4"),
        key_lines={str(key): f.line(str(key)) for key in f.data} | {f"colours.{k}": colours.line(str(k)) for k in colours.data},
        procedures=load_procedures(f),
        online_copy=load_url_template(f, "online_copy"),
        appointments=load_appointment_format(f),
        mail=load_mail(f),
        timezone=load_timezone(f),
        languages=load_languages(f),
        print_colours=load_print_colours(f),
    )


def check_contact_details(f: Fields) -> None:
    """The phone, email and web address are what they say (each becomes a link), and the
    profile's texts hold no placeholders: they are printed as written."""
    phone, email, website = f.text("phone"), f.text("email"), f.text("website")
    if phone.strip() and not PHONE.fullmatch(phone.strip()):
        f.problem(
            "phone", f"'phone' must be a phone number, not '{phone}'", "write digits, spaces and + - ( ) only, e.g. 01632 960 123"
        )
    if email.strip() and not EMAIL.fullmatch(email.strip()):
        f.problem("email", f"'email' must be an email address, not '{email}'", "e.g. gynae@riverside-clinic.example")
    if website.strip() and not is_web_address(website):
        f.problem(
            "website",
            f"'website' must be a web address starting https:// or http://, not '{website}'",
            "e.g. https://riverside-clinic.example",
        )
    for key in ("name", "address", "phone", "email", "website", *LOCALISED_CLINIC_FIELDS):
        value = f.raw(key)
        texts = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and TEMPLATE_MARK.search(t) for t in texts):
            f.problem(key, f"'{key}' holds a placeholder, but the clinic profile is printed as written", "write the text itself")


def is_web_address(value: str) -> bool:
    """Whether `value` is an http(s) address with a host (a link's only safe schemes)."""
    scheme, _, rest = value.strip().partition("://")
    return scheme.lower() in ("http", "https") and bool(rest.split("/")[0].strip()) and not any(c.isspace() for c in rest)


def load_print_colours(f: Fields) -> dict[str, tuple[float, float, float, float]]:
    """`print_colours:` the CMYK of each brand colour for print shops, as four percentages
    ("90 45 30 20"), by the name of a colour in `colours:`."""
    given = f.sub("print_colours")
    colours = f.sub("colours").data
    out = {}
    for name in given.data:
        key = str(name)
        parts = given.text(key).replace(",", " ").split()
        if key not in colours:
            given.problem(key, f"'print_colours.{key}' names no colour in 'colours'", did_you_mean(key, map(str, colours)))
        elif len(parts) != 4 or not all(p.replace(".", "", 1).isdigit() and float(p) <= 100 for p in parts):
            given.problem(key, f"'print_colours.{key}' must be four percentages, C M Y K", 'write it like "90 45 30 20"')
        else:
            c, m, y, k = (float(p) / 100 for p in parts)
            out[key] = (c, m, y, k)
    return out


def load_languages(f: Fields) -> tuple[str, ...]:
    """The clinic's `languages:`, each a language code."""
    codes = f.text_list("languages")
    for code in codes:
        if not is_language(code):
            f.problem("languages", f"'{code}' in 'languages' is not a language code", "use codes like en, es, zh-Hans")
    return tuple(dict.fromkeys(codes))


MAIL_KEYS = (
    "from",
    "reply_to",
    "smtp_host",
    "smtp_port",
    "tls",
    "retry_delay",
    "rate",
    "data_timeout",
    "invitation_minutes",
    "file_mode",
)
TLS_MODES = ("starttls", "ssl", "none")
APPOINTMENT_FIELDS = ("id", "name", "email", "language", "procedure", "date", "time", "location", "notes", "password", "status")
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
APPOINTMENT_STATES = ("booked", "cancelled")


def load_url_template(f: Fields, key: str) -> str:
    """A URL with {doc} and {lang} in it (and no other fields)."""
    value = f.text(key)
    if value and not is_web_address(value):
        f.problem(
            key,
            f"'{key}' must be a web address starting https:// or http://",
            "for example https://example.org/leaflets/{lang}/{doc}.html",
        )
        return ""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        fields = {"?"}
    if fields - {"doc", "lang"}:
        f.problem(key, f"'{key}' may use only {{doc}} and {{lang}}", "for example https://example.org/leaflets/{lang}/{doc}.html")
        return ""
    return value


def load_procedures(f: Fields) -> dict[str, tuple[str, ...]]:
    """Procedure names used by the scheduling system, each with the documents to attach."""
    sub = f.sub("procedures")
    return {str(name): sub.text_list(str(name)) for name in sub.data}


def load_appointment_format(f: Fields) -> AppointmentFormat:
    """Column names, field separator and status words of the scheduling system's export."""
    columns = f.sub("appointment_columns")
    columns.check_keys(APPOINTMENT_FIELDS)
    states = f.sub("appointment_status")
    states.check_keys(APPOINTMENT_STATES)
    statuses: dict[str, str] = {}
    for state in APPOINTMENT_STATES:
        for word in states.text_list(state) or (state,):
            if statuses.setdefault(word.casefold(), state) != state:
                states.problem(state, f"'{word}' is both booked and cancelled in 'appointment_status'", "list it once")
    return AppointmentFormat(
        columns={str(key): columns.text(str(key)) for key in columns.data},
        delimiter=DELIMITERS[f.choice("appointment_format", tuple(DELIMITERS), "comma")],
        statuses=statuses,
    )


def load_timezone(f: Fields) -> str:
    """The clinic's IANA time zone, checked against the time zone database."""
    name = f.text("timezone", "UTC")
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        f.problem("timezone", f"unknown time zone '{name}'", "use an IANA name like Europe/London")
        return "UTC"
    return name


def load_file_mode(sub: Fields) -> int:
    """Permissions for files holding patient data, written in octal ("0600")."""
    text = sub.text("file_mode", "0600")
    mode = int(text, 8) if re.fullmatch(r"0?[0-7]{3}", text) else -1
    if mode & 0o600 != 0o600:
        sub.problem(
            "file_mode", f"'mail.file_mode' must be an octal mode the owner can read and write, not '{text}'", 'quote it: "0600"'
        )
        return 0o600
    return mode


def load_mail(f: Fields) -> MailSettings:
    """The sender, reply-to address, default SMTP server and limits for appointment emails."""
    sub = f.sub("mail")
    sub.check_keys(MAIL_KEYS)
    port = sub.number("smtp_port", 587)
    return MailSettings(
        sender=sub.text("from", f.text("email")),
        reply_to=sub.text("reply_to", f.text("email")),
        smtp_host=sub.text("smtp_host", "localhost"),
        smtp_port=int(port),
        tls=sub.choice("tls", TLS_MODES, "starttls"),
        retry_delay=sub.number("retry_delay", 1.0),
        rate=positive(sub, "rate", 0.0),
        data_timeout=positive(sub, "data_timeout", 600.0),
        invitation_minutes=int(positive(sub, "invitation_minutes", 60)),
        file_mode=load_file_mode(sub),
    )


def positive(sub: Fields, key: str, default: float) -> float:
    """A number that is not negative."""
    value = sub.number(key, default)
    if value < 0:
        sub.problem(key, f"'{sub.name(key)}' must not be negative")
        return default
    return value


def localised(f: Fields, key: str) -> dict[str, str]:
    """A field that is one text for every language, or a mapping of language to text."""
    if not isinstance(f.raw(key), dict):
        return {"*": f.text(key)}
    sub = f.sub(key)
    for lang in sub.data:
        if not is_language(str(lang)):
            sub.problem(str(lang), f"'{key}.{lang}' is not a language code", "use codes like en, es, zh-Hans")
    sub.no_empty(map(str, sub.data))
    return {str(lang): sub.text(str(lang)) for lang in sub.data}


def flatten_strings(f: Fields, prefix: str, out: dict[str, Text]) -> None:
    """Flatten nested i18n mappings into dotted keys."""
    for key in f.data:
        name = f"{prefix}{key}"
        if isinstance(f.data[key], dict):
            flatten_strings(f.sub(str(key)), f"{name}.", out)
        else:
            out[name] = Text(f.text(str(key)), f.path, f.line(str(key)))


BUILT_IN_STRINGS = DEFAULTS / "i18n"
COLON_MOST = 4  # characters of a language's `colon`, between a label and its value
# Settings of a strings file whose empty value has a problem of its own ('locale' is not filled in).
CHECKED_ON_THEIR_OWN = ("language_name", "locale", "direction", "script", "sentence_limit", "date_format")


@cache
def built_in_keys() -> frozenset[str]:
    """Every key of the built-in string files: the strings brochure itself uses."""
    keys: dict[str, Text] = {}
    for path in BUILT_IN_STRINGS.glob("*.yaml"):
        flatten_strings(Fields(load_yaml_file(path, []), path, 1, []), "", keys)
    return frozenset(keys)


def string_files(root: Path) -> dict[str, list[Path]]:
    """Each language's string files, the project's own (content/i18n/) before the built-in one."""
    files: dict[str, list[Path]] = {}
    for folder in (root / "content" / "i18n", BUILT_IN_STRINGS):
        for path in sorted(folder.glob("*.yaml")):
            files.setdefault(path.stem, []).append(path)
    return files


def fill_in_examples(lang: str) -> tuple[str, str]:
    """What a language's `language_name` and `locale` might be, for a hint: its name in
    itself and its likely region, as Babel knows them (de: Deutsch, de-DE); French's for a
    code Babel does not know."""
    from babel import Locale, UnknownLocaleError  # only where a hint needs it
    from babel.core import get_global

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return "Français", "fr-FR"
    name = locale.get_display_name(locale) or lang
    if locale.territory:  # the code names its region
        parts = str(locale).split("_")
    else:
        key = "_".join(filter(None, (locale.language, locale.script)))
        likely = get_global("likely_subtags")
        parts = (likely.get(key) or likely.get(locale.language) or key).split("_")
        # the code's own script, or none: the language's usual script goes without saying
        parts = [(locale.script or "") if len(p) == 4 else p for p in parts]
    parts = [p for p in parts if p]
    return name[:1].upper() + name[1:], "-".join(parts)


def load_strings(lang: str, files: list[Path], problems: list[Problem]) -> Strings:
    """One language's strings: the built-in file's, each replaced by the project's own
    file where it has the key (`files` in lookup order, the project's first)."""
    values: dict[str, Text] = {}
    fields = [Fields(load_yaml_file(path, problems), path, 1, problems) for path in files]
    for f in reversed(fields):
        flatten_strings(f, "", values)
    first = fields[0]
    for key in STRINGS_REQUIRED:
        if key not in values:
            first.problem(None, f"missing string '{key}'", f"add '{key}:', as in {shown(BUILT_IN_STRINGS / 'en.yaml')}")

    def setting(key: str) -> Fields:
        """The file that sets a key (the first in lookup order), else the first file."""
        return next((f for f in fields if f.raw(key) is not None), first)

    script = setting("script").choice("script", tuple(SCRIPTS), "latin")
    for key, value in values.items():
        written = value.source if key == "colon" else value.source.strip()  # a colon may be a space
        if not written and key not in CHECKED_ON_THEIR_OWN:
            problems.append(
                Problem(value.path, value.line, f"'{key}' is empty", "write its text, or remove it to use the built-in one")
            )
    if "colon" in values and len(values["colon"].source) > COLON_MOST:
        colon = values["colon"]
        message = f"'colon' is {len(colon.source)} characters; it goes between every label and its value"
        problems.append(Problem(colon.path, colon.line, message, f"at most {COLON_MOST}, as ': ' or '：'"))
    for i, key in enumerate(("language_name", "locale")):
        if key in values and not values[key].source.strip():  # Babel is asked only for a hint
            example = fill_in_examples(lang)[i]
            setting(key).problem(key, f"'{key}' is not filled in", f"write it, e.g. '{key}: {example}'")
    return Strings(
        lang=lang,
        path=files[0],
        locale=setting("locale").text("locale", lang),
        direction=setting("direction").choice("direction", ("ltr", "rtl"), "ltr"),
        script=script,
        language_name=setting("language_name").text("language_name", lang),
        values=values,
        # A language may set its own (Vietnamese words are syllables, so its sentences count more).
        sentence_limit=sentence_limit(setting("sentence_limit"), SCRIPTS[script].sentence_limit),
        files=tuple(files),
    )


def sentence_limit(f: Fields, default: int) -> int:
    """The longest sentence a release accepts: a whole number of words (characters in
    Chinese), 1 or more; the script's default with a problem if it is anything else."""
    value = f.number("sentence_limit", default)
    if value != int(value) or value < 1:
        f.problem(
            "sentence_limit", f"'sentence_limit' is {as_written(f.raw('sentence_limit'))}", "a whole number of words, 1 or more"
        )
        return default
    return int(value)


def text(f: Fields, key: str) -> Text:
    """A templated string field with its location."""
    return Text(f.text(key), f.path, f.line(key))


def text_items(f: Fields, key: str) -> tuple[Text, ...]:
    """A list of templated strings, each with its own line."""
    items = f.text_list(key)
    seq = f.raw(key)
    lines = [f.first_line + seq.item_lines[i] for i in range(len(items))] if items else []
    return tuple(Text(item, f.path, line) for item, line in zip(items, lines, strict=True))


def load_meta(f: Fields) -> Meta:
    """The fields every document shares."""
    published, review_due = f.date("published"), f.date("review_due")
    if published and review_due and review_due <= published:
        f.problem("review_due", "'review_due' must be after 'published'", "set a review date, often 2 years later")
    status = f.choice("status", STATUSES, "draft")
    for key in SIGN_OFF.get(status, ()):
        if not f.raw(key):
            who = "the name" if key.endswith("_by") else "the date (YYYY-MM-DD)"
            f.problem("status", f"status '{status}' needs '{key}'", f"add '{key}:' with {who}, or set 'status: draft'")
    reviewed_on, approved_on = f.date("reviewed_on"), f.date("approved_on")
    if reviewed_on and approved_on and approved_on < reviewed_on:
        f.problem("approved_on", "'approved_on' is before 'reviewed_on'", "a document is approved after its review")
    return Meta(
        title=text(f, "title"),
        subtitle=text(f, "subtitle"),
        status=status,
        version=f.text("version"),
        published=published or NO_DATE,
        review_due=review_due or NO_DATE,
        reviewed_by=f.text("reviewed_by"),
        reviewed_on=reviewed_on,
        approved_by=f.text("approved_by"),
        approved_on=approved_on,
        code=f.text("code"),
        department=f.text("department"),
        layout=f.text("layout"),
        sources=text_items(f, "sources"),
        translation=load_translation(f),
    )


def load_translation(f: Fields) -> Translation | None:
    """The `translation:` record of a translated document, if it has one."""
    if "translation" not in f.data:
        return None
    t = f.sub("translation")
    t.check_keys(TRANSLATION_KEYS, ("source", "source_hash", "translated_by"))
    return Translation(
        source=t.text("source"),
        source_hash=t.text("source_hash"),
        translated_by=t.text("translated_by"),
        checked_by=t.text("checked_by"),
        line=f.line("translation"),
    )


def load_leaflet(path: Path, problems: list[Problem]) -> Leaflet | None:
    """Read a leaflet: YAML front matter between --- lines, then Markdown."""
    source = read_text(path, problems)
    if source is None:
        return None
    match = FRONT_MATTER.match(source)
    if not match:
        problems.append(
            Problem(
                path,
                1,
                "missing YAML front matter",
                "start the file with a '---' line, the keys, and another '---' line",
                root=True,
            )
        )
        return None
    before = len(problems)
    data = parse_yaml(path, match.group(1) or "", 2, problems)
    if data is None:
        if len(problems) == before:
            problems.append(Problem(path, 2, "the front matter is empty", "write the keys between the '---' lines", root=True))
        return None
    f = Fields(data, path, 2, problems)
    f.check_keys(LEAFLET_KEYS, META_REQUIRED + ("short_title", "summary", "facts"))
    facts = f.sub("facts")
    facts.check_keys(FACT_KEYS)
    facts.no_empty(FACT_KEYS)
    f.no_empty(("appointment_note",))
    body_line = source.count("\n", 0, match.end()) + 1
    summary = text_items(f, "summary")
    if summary and not SUMMARY_POINTS[0] <= len(summary) <= SUMMARY_POINTS[1]:
        f.problem(
            "summary",
            f"the summary has {len(summary)} points; it holds {SUMMARY_POINTS[0]} to {SUMMARY_POINTS[1]}",
            "keep the most important; the body can say the rest",
        )
    return Leaflet(
        name=path.parent.name,
        lang=path.stem,
        path=path,
        meta=load_meta(f),
        short_title=text(f, "short_title"),
        summary=summary,
        facts={key: text(facts, key) for key in FACT_KEYS if key in facts.data},
        body=Text(source[match.end() :], path, body_line),
        key_lines={str(key): f.line(str(key)) for key in f.data},
        appointment_note=text(f, "appointment_note") if "appointment_note" in f.data else None,
        figure=load_figure(f),
    )


def load_figure(f: Fields) -> FigureSpec | None:
    """The `figure:` of a leaflet: which diagram, and its alt text."""
    if "figure" not in f.data or not isinstance(f.raw("figure"), dict):
        f.sub("figure")  # says what it should be
        return None
    sub = f.sub("figure")
    sub.check_keys(("kind", "alt"), ("kind", "alt"))
    return FigureSpec(sub.text("kind"), text(sub, "alt"))  # a file in content/figures/, checked with the project


def load_comparison(path: Path, problems: list[Problem]) -> Comparison | None:
    """Read a comparison handout."""
    data = load_yaml_file(path, problems)
    if data is None:
        return None
    f = Fields(data, path, 1, problems)
    f.check_keys(COMPARISON_KEYS, META_REQUIRED + ("leaflets", "rows", "intro", "sections"))
    leaflets = f.text_list("leaflets")
    if "leaflets" in f.data and len(leaflets) != 2:
        f.problem("leaflets", "'leaflets' must name exactly two leaflets", "for example: [hsg, hysteroscopy]")
    if len(leaflets) == 2 and leaflets[0] == leaflets[1]:
        f.problem("leaflets", f"'leaflets' names '{leaflets[0]}' twice", "a comparison compares two different leaflets")
    rows = f.text_list("rows")
    for row in sorted({row for row in rows if rows.count(row) > 1}):
        f.problem("rows", f"row '{row}' is given twice in 'rows'", "keep one of them")
    for row in rows:
        if row not in FACT_KEYS:
            f.problem("rows", f"unknown fact '{row}' in 'rows'", did_you_mean(row, FACT_KEYS))
    sections = []
    for item in f.items("sections"):
        item.check_keys(("heading", "body"), ("heading", "body"))
        sections.append(Section(text(item, "heading"), text(item, "body")))
    pair = (leaflets[0], leaflets[1]) if len(leaflets) == 2 else ("", "")
    return Comparison(
        name=path.parent.name,
        lang=path.stem,
        path=path,
        meta=load_meta(f),
        leaflets=pair,
        rows=rows,
        intro=text(f, "intro"),
        sections=tuple(sections),
        key_lines={str(key): f.line(str(key)) for key in f.data},
    )


def is_language(name: str) -> bool:
    """Whether a file stem looks like a language tag (en, es, zh-Hans)."""
    return bool(LANG_TAG.match(name))
