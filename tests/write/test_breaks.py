"""The line-breaking rules of the script profiles, as write/breaks.py applies them:
which spaces become no-break spaces, and where a Chinese line may end."""

from __future__ import annotations

import pytest

from brochure.document import Link, Span, Strong, Text
from brochure.write.breaks import NBSP, bind, breaks_for


def bound(text: str, lang: str, script: str = "latin") -> str:
    """`text` as the rules bind it, a no-break space shown as '~'."""
    return breaks_for(lang, script).bind(text).replace(NBSP, "~")


@pytest.mark.parametrize(
    ("lang", "script", "text", "expected"),
    [
        ("pl", "latin", "kontakt w razie bólu i gorączki", "kontakt w~razie bólu i~gorączki"),
        ("pl", "latin", "Badanie (w gabinecie) z Panią", "Badanie (w~gabinecie) z~Panią"),
        ("pl", "latin", "Strona 1 z 9", "Strona 1~z~9"),
        ("en", "latin", "call NHS 111 for 2 days", "call NHS~111~for 2~days"),
        ("en", "latin", "about 30 to 60 minutes", "about 30~to~60~minutes"),
        ("en", "latin", "1 in 100 women, 38 C or more", "1~in~100~women, 38~C or more"),
        ("en", "latin", "clots bigger than a 10p coin", "clots bigger than a 10p~coin"),
        ("en", "latin", "about 1 in 10 to 1 in 100 people", "about 1~in~10~to~1~in~100~people"),
        ("en", "latin", "about day 5 to day 12 of", "about day~5~to~day~12~of"),
        ("es", "latin", "de 1 de cada 10 a 1 de cada 100, cada 1 o 2 horas", "de 1~de~cada~10~a~1~de~cada~100, cada 1~o~2~horas"),
        ("pl", "latin", "Dzień 1 to", "Dzień~1~to"),
        ("vi", "latin", "8 giờ sáng đến 6 giờ chiều", "8~giờ~sáng~đến~6~giờ~chiều"),
        (
            "ar",
            "arabic",
            "1 من كل 10 إلى 1 من كل 100، من 8 صباحًا إلى 6 مساءً",
            "1~من~كل~10~إلى~1~من~كل~100، من 8~صباحًا~إلى~6~مساءً",
        ),
        ("hi", "devanagari", "लगभग 10 में से 1 से 100 में से 1 व्यक्ति", "लगभग 10~में~से~1~से~100~में~से~1~व्यक्ति"),
        ("en", "latin", "12 Mill Lane, Riverside, RV1 2AB", "12~Mill Lane, Riverside, RV1~2AB"),
        ("en", "latin", "Next review: 1 December 2028", "Next review: 1~December~2028"),
        ("en", "latin", "Monday to Friday, 8am to 6pm", "Monday to Friday, 8am~to~6pm"),
        ("pl", "latin", "przyjmować – paracetamol", "przyjmować~– paracetamol"),
        ("es", "latin", "el 1 de diciembre de 2026", "el 1~de~diciembre~de~2026"),
        ("vi", "latin", "ngày 1 tháng 12 năm 2026", "ngày~1~tháng~12~năm~2026"),
        ("ar", "arabic", "من 8 صباحًا، 30 إلى 60 دقيقة", "من 8~صباحًا، 30~إلى~60~دقيقة"),
        ("ar", "arabic", "إلى المنزل. لا تقودي السيارة", "إلى المنزل. لا~تقودي السيارة"),
        ("ar", "arabic", "اتصلي بالرقم 999 أو", "اتصلي بالرقم~999~أو"),
        ("hi", "devanagari", "सुबह 8 बजे से", "सुबह~8~बजे से"),
    ],
)
def test_spaces_that_must_not_break_become_no_break_spaces(lang: str, script: str, text: str, expected: str) -> None:
    assert bound(text, lang, script) == expected


def test_a_phone_number_is_whole_even_between_isolates() -> None:
    assert bound("numer \u206601632 960 123\u2069.", "en") == "numer \u206601632~960~123\u2069."


def test_other_languages_keep_their_one_letter_words_free() -> None:
    assert bound("a dog, a cat", "en") == "a dog, a cat"
    assert bound("y la otra", "es") == "y la otra"


def test_runs_are_bound_across_bold_and_links() -> None:
    runs = (Text("Proszę o "), Strong((Text("kontakt"),)), Text(" w "), Link("tel", "tel:1", (Span((Text("razie"),), "ltr"),)))
    out = bind(runs, breaks_for("pl", "latin"))
    assert out == (
        Text(f"Proszę o{NBSP}"),
        Strong((Text("kontakt"),)),
        Text(f" w{NBSP}"),
        Link("tel", "tel:1", (Span((Text("razie"),), "ltr"),)),
    )


def chinese_breaks(text: str) -> str:
    """`text` with '|' where a Chinese line may end."""
    allowed = breaks_for("zh-Hans", "han").allowed(text)
    return "".join(("|" if allowed[i] else "") + c for i, c in enumerate(text))


def test_chinese_lines_never_end_on_opening_or_start_on_closing_punctuation() -> None:
    assert chinese_breaks("布洛芬（如果您不能服用）。请") == "布|洛|芬|（如|果|您|不|能|服|用）。|请"
    assert chinese_breaks("「好」，《书》、是…") == "「好」，|《书》、|是…"


def test_chinese_keeps_latin_words_numbers_units_and_dates_whole() -> None:
    assert chinese_breaks("请拨打NHS\u00a0111。") == "请|拨|打|NHS\u00a0111。"
    assert chinese_breaks("检查前30至60分钟") == "检|查|前|30至60分钟"
    assert chinese_breaks("于2026年12月1日上午8点到") == "于|2026年12月1日|上午8点|到"
    assert chinese_breaks("邮件至feedback@example.org，或") == "邮|件|至|feedback@example.org，|或"
    assert chinese_breaks("是X光检查") == "是|X光|检|查"  # a letter and the character it names
    assert chinese_breaks("需10至30分钟，上午8点至下午6点") == "需|10至30分钟，|上午8点至下午6点"


def test_display_text_never_ends_on_one_short_word_and_running_text_may() -> None:
    text = "Draft: not checked by a clinician. Do not give to patients."
    assert breaks_for("en", "latin", display=True).bind(text).endswith(f"to{NBSP}patients.")
    assert breaks_for("en", "latin").bind(text) == text
    assert breaks_for("en", "latin", display=True).bind("Your outpatient hysteroscopy") == "Your outpatient hysteroscopy"
    url = "Read it at https://riverside-clinic.example/leaflets"
    assert breaks_for("en", "latin", display=True).bind(url) == url  # a long last word may have its own line
