"""The text writer on blocks made by hand: headings underlined as wide as they are set in a
fixed-width font, a box's details one under another, lists, and bidi isolates in
right-to-left text only."""

from __future__ import annotations

from brochure.document import (
    Callout,
    Contact,
    Heading,
    LineLimit,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Span,
    Strong,
    Text,
    Title,
)
from brochure.write.text import columns, render_text


def words(text: str) -> tuple[Text, ...]:
    return (Text(text),)


def test_a_heading_is_underlined_as_wide_as_it_is_set() -> None:
    assert render_text((Heading(2, words("Contact us")),), rtl=False) == "Contact us\n----------\n"
    assert columns("预约变更") == 8 and columns("क्ष") == 2  # wide characters take two columns, a virama none
    title = Title(words("Clinic"), None, words("您的预约"), ())
    assert render_text((title,), rtl=False) == "Clinic\n\n您的预约\n========\n"


def test_a_boxs_details_stand_one_under_another_and_its_advice_apart() -> None:
    box = Callout(
        "appointment",
        words("Your appointment"),
        (
            Paragraph((Text("For: "), Strong((Span(words("Pat"), "auto"),))), limit=LineLimit("name", 2)),
            Paragraph(words("When: 12 March 2027 at 09:30"), limit=LineLimit("date", 2)),
            Paragraph(words("Bring a pad.")),
        ),
    )
    assert render_text((box,), rtl=False) == (
        "Your appointment\n----------------\n\nFor: Pat\nWhen: 12 March 2027 at 09:30\n\nBring a pad.\n"
    )


def test_lists_and_the_contact_block() -> None:
    items = ListBlock((ListItem(words("one")), ListItem(words("deeper"), 1), ListItem(words("two"))))
    phone = (Text("Phone: "), Link("tel", "tel:123", words("123")))
    contact = Contact(words("Contact us"), (words("Clinic"), phone), (words("Hours: 8 to 6"),), words("Out of hours, call 111."))
    assert render_text((items, contact), rtl=False) == (
        "- one\n  - deeper\n- two\n\nContact us\n----------\n\nClinic\nPhone: 123\nHours: 8 to 6\n\nOut of hours, call 111.\n"
    )


def test_right_to_left_text_keeps_its_isolates() -> None:
    line = Paragraph((Text("الهاتف: "), Span(words("01632 960 123"), "ltr"), Text(" "), Span(words("Pat"), "auto")))
    assert render_text((line,), rtl=True) == "الهاتف: \u206601632 960 123\u2069 \u2068Pat\u2069\n"
    assert render_text((line,), rtl=False) == "الهاتف: 01632 960 123 Pat\n"
