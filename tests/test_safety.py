"""Safety-critical points of the sample content, read from the built PDFs, and the
reading grade of every section.

Each point's key terms are kept per language in KEY_TERMS, so that a language's
terms can be added once its translation carries the point; a language without an
entry for a point is not tested for it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import textstat
from conftest import REPO, copy_project, plain_words
from pypdf import PdfReader

import brochure
from brochure.load.project import load_project
from brochure.model import Comparison, Leaflet

GRADE_LIMIT = 8


@dataclass(frozen=True)
class Point:
    """Terms a document must print. With `after`, every term must come within
    `window` characters after the first place `after` is printed (a box title, a
    heading); without it, anywhere in the document."""

    doc: str
    terms: tuple[str, ...]
    after: str | None = None
    window: int = 1000


HELP_EN = (
    "38°C or more",
    "soaking a pad every 1 to 2 hours",
    "clots bigger than a 10p coin",
    "not helped by painkillers",
    "smelly discharge",
)

HELP_HI = (
    "38°C या उससे ज़्यादा",
    "हर 1 से 2 घंटे में पैड पूरा भीग जाना",
    "10p के सिक्के से बड़े थक्के",
    "दर्द की दवा से ठीक न हो",
    "बदबूदार स्राव",
)

HELP_ES = (
    "38 °C o más",
    "empapar una compresa cada 1 o 2 horas",
    "coágulos más grandes que una moneda de 10 peniques",
    "no se alivia con analgésicos",
    "flujo vaginal con mal olor",
)

KEY_TERMS: dict[str, dict[str, Point]] = {
    "en": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            ("no chance that you are pregnant", "use contraception or do not have sex", "offer you a pregnancy test"),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "do not have sex without contraception",
                "we will ask if you could be pregnant",
                "urine",
                "may not show a pregnancy that has just started",
                "call us before the day",
                "may need a new date",
                "irregular",
                "your period is late",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            ("Most people feel some pain", "the pain is severe", "Nobody can tell in advance", "ask us to stop at any time"),
            after="Risks",
            window=300,
        ),
        "help box in the HSG leaflet": Point("hsg", HELP_EN + ("call 999",), after="When to get help"),
        "help box in the hysteroscopy leaflet": Point("hysteroscopy", HELP_EN, after="When to get help"),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy", HELP_EN + ("01632 960 123", "call 999"), after="When to get help"
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "sedation or a general anaesthetic",
                "separate appointment in an operating theatre",
                "An adult must take you home",
                "Do not drive for 24 hours",
            ),
            after="Sedation or a general anaesthetic",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            ("After sedation or a general anaesthetic", "an adult must take you home", "Do not drive for 24 hours"),
        ),
        "late dye reaction after an HSG": Point("hsg", ("rash, itching or swelling", "hard to breathe, call 999")),
    },
    "es": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "ninguna posibilidad de que esté embarazada",
                "use anticonceptivos o no tenga relaciones sexuales",
                "Le ofreceremos una prueba de embarazo",
            ),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "no tenga relaciones sexuales sin anticonceptivos",
                "le preguntaremos si podría estar embarazada",
                "orina",
                "puede no detectar un embarazo que acaba de empezar",
                "llámenos antes del día de la prueba",
                "cambiar la fecha",
                "irregulares",
                "la regla se retrasa",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            (
                "La mayoría de las personas sienten algo de dolor",
                "el dolor es muy fuerte",
                "Nadie puede saber de antemano",
                "Puede pedirnos que paremos en cualquier momento",
            ),
            after="Riesgos",
            window=300,
        ),
        "help box in the HSG leaflet": Point("hsg", HELP_ES + ("llame al 999",), after="Cuándo pedir ayuda"),
        "help box in the hysteroscopy leaflet": Point("hysteroscopy", HELP_ES, after="Cuándo pedir ayuda"),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy", HELP_ES + ("01632 960 123", "llame al 999"), after="Cuándo pedir ayuda"
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "Sedación o anestesia general",
                "cita aparte en un quirófano",
                "Una persona adulta debe llevarle a casa",
                "No conduzca durante 24 horas",
            ),
            after="Sedación o anestesia general",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "Después de una sedación o una anestesia general",
                "una persona adulta debe llevarle a casa",
                "No conduzca durante 24 horas",
            ),
        ),
        "late dye reaction after an HSG": Point("hsg", ("sarpullido, picor o hinchazón", "le cuesta respirar, llame al 999")),
    },
    "pl": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            ("nie jest Pani w ciąży", "stosować antykoncepcję lub nie współżyć", "Zaproponujemy test ciążowy"),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "nie współżyć bez antykoncepcji",
                "zapytamy, czy może Pani być w ciąży",
                "moczu",
                "może nie wykryć ciąży, która dopiero się zaczęła",
                "prosimy zadzwonić przed dniem badania",
                "nowy termin",
                "nieregularne",
                "miesiączka się spóźnia",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            (
                "Większość pacjentek odczuwa ból",
                "ból jest bardzo silny",
                "Nie da się przewidzieć",
                "może Pani poprosić o przerwanie badania",
            ),
            after="Ryzyko",
            window=300,
        ),
        "help box in the HSG leaflet": Point(
            "hsg",
            (
                "38°C lub wyższa",
                "podpaska przesiąka co 1 do 2 godzin",
                "skrzepy są większe niż moneta 10 pensów",
                "nie łagodzą leki przeciwbólowe",
                "o nieprzyjemnym zapachu",
                "dzwonić pod numer 999",
            ),
            after="Kiedy szukać pomocy",
        ),
        "help box in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "38°C lub wyższa",
                "podpaska przesiąka co 1 do 2 godzin",
                "skrzepy są większe niż moneta 10 pensów",
                "nie łagodzą leki przeciwbólowe",
                "o nieprzyjemnym zapachu",
            ),
            after="Kiedy szukać pomocy",
        ),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "38°C lub wyższa",
                "podpaska przesiąka co 1 do 2 godzin",
                "skrzepy są większe niż moneta 10 pensów",
                "nie łagodzą leki przeciwbólowe",
                "o nieprzyjemnym zapachu",
                "01632 960 123",
                "dzwonić pod numer 999",
            ),
            after="Kiedy szukać pomocy",
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "Sedacja lub znieczulenie ogólne",
                "osobną wizytę na sali operacyjnej",
                "musi Panią odebrać osoba dorosła",
                "Przez 24 godziny prosimy nie prowadzić samochodu",
            ),
            after="Sedacja lub znieczulenie ogólne",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "Po sedacji lub znieczuleniu ogólnym",
                "musi Panią odebrać osoba dorosła",
                "Przez 24 godziny prosimy nie prowadzić samochodu",
            ),
        ),
        "late dye reaction after an HSG": Point(
            "hsg", ("swędzenie lub obrzęk", "trudności z oddychaniem prosimy dzwonić pod numer 999")
        ),
    },
    "vi": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "chắc chắn không có khả năng đang mang thai",
                "dùng biện pháp tránh thai hoặc không quan hệ tình dục",
                "cho chị thử thai",
            ),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "không quan hệ tình dục mà không tránh thai",
                "chúng tôi sẽ hỏi liệu chị có thể đang mang thai",
                "nước tiểu",
                "chưa phát hiện được thai mới bắt đầu",
                "gọi cho chúng tôi trước ngày chụp",
                "đổi sang ngày khác",
                "không đều",
                "chậm kinh",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            (
                "Hầu hết mọi người thấy đau ít nhiều",
                "cơn đau rất dữ dội",
                "Không ai biết trước",
                "yêu cầu chúng tôi dừng lại bất cứ lúc nào",
            ),
            after="Rủi ro",
            window=300,
        ),
        "help box in the HSG leaflet": Point(
            "hsg",
            (
                "38°C trở lên",
                "thấm đẫm băng vệ sinh mỗi 1 đến 2 giờ",
                "máu cục to hơn đồng xu 10p",
                "thuốc giảm đau không đỡ",
                "dịch âm đạo có mùi hôi",
                "gọi 999",
            ),
            after="Khi nào cần trợ giúp",
        ),
        "help box in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "38°C trở lên",
                "thấm đẫm băng vệ sinh mỗi 1 đến 2 giờ",
                "máu cục to hơn đồng xu 10p",
                "thuốc giảm đau không đỡ",
                "dịch âm đạo có mùi hôi",
            ),
            after="Khi nào cần trợ giúp",
        ),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "38°C trở lên",
                "thấm đẫm băng vệ sinh mỗi 1 đến 2 giờ",
                "máu cục to hơn đồng xu 10p",
                "thuốc giảm đau không đỡ",
                "dịch âm đạo có mùi hôi",
                "01632 960 123",
                "gọi 999",
            ),
            after="Khi nào cần trợ giúp",
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "thuốc an thần hoặc gây mê toàn thân",
                "lần hẹn riêng ở phòng mổ",
                "một người lớn đưa chị về nhà",
                "Không lái xe trong 24 giờ",
            ),
            after="Thuốc an thần hoặc gây mê toàn thân",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "Sau khi dùng thuốc an thần hoặc gây mê toàn thân",
                "một người lớn đưa chị về nhà",
                "Không lái xe trong 24 giờ",
            ),
        ),
        "late dye reaction after an HSG": Point("hsg", ("phát ban, ngứa hoặc sưng", "khó thở, hãy gọi 999")),
    },
    "ar": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "ألا يكون هناك أي احتمال أن تكوني حاملًا",
                "استخدمي وسيلة",
                "لمنع الحمل أو لا تمارسي الجماع",
                "سنعرض عليك إجراء اختبار حمل",
            ),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "لا تمارسي الجماع دون وسيلة لمنع الحمل",
                "سنسألك هل يمكن أن تكوني حاملًا",
                "عينة بول",
                "قد لا يكشف اختبار الحمل حملًا بدأ للتو",
                "اتصلي بنا قبل يوم الفحص",  # in the summary too; the bold one in the body reads back split
                "موعد جديد",
                "غير منتظمة",
                "تأخرت دورتك",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            (
                "تشعر معظم المريضات ببعض الألم",
                "يكون الألم شديدًا",
                "يمكن لأحد أن يعرف مسبقًا",
                "أن تطلبي منا التوقف في أي وقت",
            ),
            after="المخاطر",
            window=300,
        ),
        "help box in the HSG leaflet": Point(
            "hsg",
            (
                "38",
                "درجة مئوية أو أكثر",
                "امتلاء فوطة بالدم كل ساعة إلى ساعتين",
                "جلطات دم أكبر من قطعة نقود",
                "10",
                "بنسات",
                "ألم لا تخففه المسكنات",
                "ذات رائحة كريهة",
                "صعوبة في التنفس، فاتصلي بالرقم",
                "999",
            ),
            after="متى تطلبين المساعدة؟",
        ),
        "help box in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "38",
                "درجة مئوية أو أكثر",
                "امتلاء فوطة بالدم كل ساعة إلى ساعتين",
                "جلطات دم أكبر من قطعة نقود",
                "10",
                "بنسات",
                "ألم لا تخففه المسكنات",
                "ذات رائحة كريهة",
            ),
            after="متى تطلبين المساعدة؟",
        ),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "38",
                "درجة مئوية أو أكثر",
                "امتلاء فوطة بالدم كل ساعة إلى ساعتين",
                "جلطات دم أكبر من قطعة نقود",
                "10",
                "بنسات",
                "ألم لا تخففه المسكنات",
                "ذات رائحة كريهة",
                "01632 960 123",
                "صعوبة في التنفس، فاتصلي بالرقم",
                "999",
            ),
            after="متى تطلبين المساعدة؟",
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "المهدئ أو التخدير العام",
                "موعدًا منفصلًا في غرفة العمليات",
                "يجب أن يوصلك شخص بالغ إلى المنزل",
                "لا تقودي السيارة لمدة",
                "24",
            ),
            after="المهدئ أو التخدير العام",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            ("بعد المهدئ أو التخدير العام", "يجب أن يوصلك شخص بالغ إلى المنزل", "لا تقودي", "السيارة لمدة", "24"),
        ),
        "late dye reaction after an HSG": Point("hsg", ("طفح جلدي أو حكة أو تورم", "صعوبة في التنفس، فاتصلي بالرقم", "999")),
    },
    "zh-Hans": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            ("没有怀孕的可能", "请采取避孕措施，或不要有性生活", "为您提供验孕检查"),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "不要有未避孕的性生活",
                "我们会问您是否可能怀孕",
                "尿样",
                "查不出刚刚开始的怀孕",
                "请在检查日之前联系我们",
                "检查可能要改期",
                "月经不规律",
                "月经推迟了",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            ("大多数人会感到一些疼痛", "疼得很厉害", "没有人能事先知道", "随时要求我们停下来"),
            after="风险",
            window=300,
        ),
        "help box in the HSG leaflet": Point(
            "hsg",
            ("38°C或以上", "每1至2小时湿透一片卫生巾", "血块比10便士硬币大", "服用止痛药后仍不缓解", "分泌物有异味", "拨打999"),
            after="何时需要求助",
        ),
        "help box in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            ("38°C或以上", "每1至2小时湿透一片卫生巾", "血块比10便士硬币大", "服用止痛药后仍不缓解", "分泌物有异味"),
            after="何时需要求助",
        ),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "38°C或以上",
                "每1至2小时湿透一片卫生巾",
                "血块比10便士硬币大",
                "服用止痛药后仍不缓解",
                "分泌物有异味",
                "请拨打01632 960 123",
                "拨打999",
            ),
            after="何时需要求助",
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            ("镇静或全身麻醉", "另约时间，在手术室做", "必须有一位成年人送您回家", "24小时内不要开车"),
            after="镇静或全身麻醉",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            ("全身麻醉，必须有一位成年人送您回家", "24小时内不要开车"),
        ),
        "late dye reaction after an HSG": Point("hsg", ("皮疹、瘙痒或肿胀", "呼吸困难，请拨打999")),
    },
    "hi": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "गर्भवती होने की कोई भी गुंजाइश नहीं",
                "गर्भनिरोधक इस्तेमाल करें या यौन संबंध न बनाएँ",
                "गर्भ की जाँच (प्रेगनेंसी टेस्ट) करवाने की पेशकश",
            ),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "बिना गर्भनिरोधक के यौन संबंध न बनाएँ",
                "पूछेंगे कि क्या आप गर्भवती हो सकती हैं",
                "पेशाब",
                "अभी-अभी ठहरा गर्भ न दिखे",
                "जाँच के दिन से पहले हमें फ़ोन करें",
                "जाँच की नई तारीख",
                "अनियमित",
                "इस बार देर से है",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            (
                "ज़्यादातर लोगों को कुछ दर्द होता है",
                "दर्द बहुत तेज़ होता है",
                "पहले से कोई नहीं बता सकता",
                "किसी भी समय हमसे रुकने को कह सकती हैं",
            ),
            after="जोखिम",
            window=300,
        ),
        "help box in the HSG leaflet": Point("hsg", HELP_HI + ("999 पर फ़ोन करें",), after="कब मदद लें"),
        "help box in the hysteroscopy leaflet": Point("hysteroscopy", HELP_HI, after="कब मदद लें"),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy", HELP_HI + ("01632 960 123", "999 पर फ़ोन करें"), after="कब मदद लें"
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "सेडेशन या जनरल एनेस्थीसिया",
                "ऑपरेशन थिएटर में अलग से अपॉइंटमेंट",
                "किसी वयस्क को आपको घर ले जाना होगा",
                "24 घंटे तक गाड़ी न चलाएँ",
            ),
            after="सेडेशन या जनरल एनेस्थीसिया",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            ("सेडेशन या जनरल एनेस्थीसिया के बाद", "किसी वयस्क को आपको घर ले जाना होगा", "24 घंटे तक गाड़ी न चलाएँ"),
        ),
        "late dye reaction after an HSG": Point("hsg", ("दाने (रैश), खुजली या सूजन", "साँस लेने में मुश्किल हो, तो 999 पर फ़ोन करें")),
    },
}

# Every mention of the drug carries the caveat, in every document and appointment note:
# the drug's name, and a pattern of the caveat that follows it (a translation may word
# it two ways).
IBUPROFEN: dict[str, tuple[str, str]] = {
    "en": ("ibuprofen", r"ibuprofen if you can take it, paracetamol if not"),
    "es": ("ibuprofeno", r"ibuprofeno si puede tomarlo; si no, paracetamol"),
    "pl": ("ibuprofen", r"ibuprofen, (a jeśli nie może go pani przyjmować – paracetamol|jeśli pani może, lub paracetamol)"),
    "vi": ("ibuprofen", r"ibuprofen nếu chị dùng được, nếu không thì paracetamol"),
    "ar": ("الإيبوبروفين", r"الإيبوبروفين إذا كان يمكنك تناوله، وإلا فالباراسيتامول"),
    "zh-Hans": ("布洛芬", r"布洛芬（如果您不能服用，就用对乙酰氨基酚）"),
    "hi": ("आइबुप्रोफेन", r"आइबुप्रोफेन अगर आप ले सकती हैं, नहीं तो पैरासिटामोल"),
}

DOCS = ("hsg", "hysteroscopy", "hsg-vs-hysteroscopy")


CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


def normalised(text: str) -> str:
    """Whitespace as single spaces; none where a line of Chinese breaks."""
    text = re.sub(rf"(?<={CJK})\s+(?={CJK})", "", text)
    return re.sub(r"\s+", " ", text).strip()


def without_furniture(pages: list[str]) -> str:
    """The pages' text without the lines every page repeats (the status band, the footer,
    page numbers aside), so that a sentence running over a page break reads whole."""
    lines = [page.splitlines() for page in pages]
    repeated = {re.sub(r"\d+", "#", line) for line in lines[0]} if len(lines) > 1 else set()
    for page in lines[1:]:
        repeated &= {re.sub(r"\d+", "#", line) for line in page}
    return "\n".join(line for page in lines for line in page if re.sub(r"\d+", "#", line) not in repeated)


POPPLER_MARKS = re.compile("[\u202a-\u202e]")  # the embeddings poppler writes around right-to-left runs


def page_texts(pdf: Path, reader: str) -> list[str]:
    """The text of each page as pypdf or poppler reads it (without the embeddings poppler adds)."""
    if reader == "pypdf":
        return [page.extract_text() for page in PdfReader(pdf).pages]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [POPPLER_MARKS.sub("", page) for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="session")
def pdf_text(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """The text of a sample document in a language, whitespace normalised. English
    comes from the shared build; other languages are built once when first asked."""
    roots: dict[str, Path] = {"en": built}
    cache: dict[tuple[str, str, str], str] = {}

    def text(doc: str, lang: str, reader: str = "pypdf") -> str:
        if lang not in roots:
            root = copy_project(tmp_path_factory.mktemp(f"built-{lang}"))
            brochure.build(root, langs=[lang])
            roots[lang] = root / "output"
        if (doc, lang, reader) not in cache:
            pages = page_texts(roots[lang] / lang / f"{doc}.pdf", reader)
            cache[(doc, lang, reader)] = normalised(without_furniture(pages))
        return cache[(doc, lang, reader)]

    return text


CASES = [pytest.param(lang, name, id=f"{lang}: {name}") for lang, points in KEY_TERMS.items() for name in points]


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_safety_point_is_printed(pdf_text, lang: str, name: str) -> None:
    """Each term read back intact by pypdf, or, right to left, by pypdf or poppler: each
    falls short on some mixed lines (see test_readback.KNOWN), never on the same words."""
    point = KEY_TERMS[lang][name]
    missing: set[str] | None = None
    for reader in ("pypdf", "poppler") if lang == "ar" else ("pypdf",):
        text = pdf_text(point.doc, lang, reader)
        if point.after is not None:
            start = text.find(point.after)
            assert start >= 0, f"{point.doc} [{lang}]: {point.after!r} not printed ({reader})"
            text = text[start : start + point.window]
        unread = {term for term in point.terms if term.lower() not in text.lower()}
        missing = unread if missing is None else missing & unread
    where = f" within {point.window} characters after {point.after!r}" if point.after else ""
    assert not missing, f"{point.doc} [{lang}]: {name}: {sorted(missing)} not printed{where}"


@pytest.mark.parametrize("lang", sorted(IBUPROFEN))
@pytest.mark.parametrize("doc", DOCS)
def test_ibuprofen_always_with_the_caveat(pdf_text, doc: str, lang: str) -> None:
    """Read back by pypdf, or, right to left, by pypdf or poppler (see test_safety_point_is_printed)."""
    drug, caveat = IBUPROFEN[lang]
    counts = []
    for reader in ("pypdf", "poppler") if lang == "ar" else ("pypdf",):
        text = re.sub(r"\s*،\s*", "، ", pdf_text(doc, lang, reader).lower())  # poppler moves a space before the comma
        counts.append((text.count(drug), len(re.findall(caveat, text))))
    assert any(drugs >= 1 for drugs, _ in counts), f"{doc} [{lang}]: {drug!r} not printed"
    assert any(drugs >= 1 and caveats == drugs for drugs, caveats in counts), (
        f"{doc} [{lang}]: {drug!r} without its caveat (mentions, caveats by reader: {counts})"
    )


@pytest.mark.parametrize("lang", sorted(IBUPROFEN))
@pytest.mark.parametrize("doc", ["hsg", "hysteroscopy"])
def test_appointment_note_gives_the_ibuprofen_caveat(doc: str, lang: str) -> None:
    # The note is printed only on a patient's personalised copy: read it as written.
    project, problems = load_project(REPO)
    assert not problems
    note = project.documents[(doc, lang)].appointment_note
    assert note is not None
    drug, caveat = IBUPROFEN[lang]
    text = re.sub(rf"(?<={CJK}) (?={CJK})", "", normalised(note.source)).lower()
    assert text.count(drug) >= 1 and len(re.findall(caveat, text)) == text.count(drug), f"{doc} [{lang}]: {text}"


def with_full_stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def reading_sections() -> list[tuple[str, str, str]]:
    """(document, section, Markdown) for every part of the English samples measured
    on its own: each ## section of a leaflet's body (with its ### subsections), its
    summary, its facts together, its appointment note; a comparison's intro and each
    of its sections."""
    project, problems = load_project(REPO)
    assert not problems, problems
    sections = []
    for name in DOCS:
        doc = project.documents[(name, "en")]
        if isinstance(doc, Leaflet):
            for part in re.split(r"(?m)^(?=## )", doc.body.source):
                if part.strip():
                    heading = part.splitlines()[0].removeprefix("## ") if part.startswith("## ") else "(before the first heading)"
                    sections.append((name, heading, part))
            sections.append((name, "summary", "\n".join(with_full_stop(s.source) for s in doc.summary)))
            sections.append((name, "facts", "\n".join(with_full_stop(f.source) for f in doc.facts.values())))
            if doc.appointment_note is not None:
                sections.append((name, "appointment note", doc.appointment_note.source))
        elif isinstance(doc, Comparison):
            sections.append((name, "intro", doc.intro.source))
            for section in doc.sections:
                sections.append((name, section.heading.source, f"## {section.heading.source}\n\n{section.body.source}"))
    return sections


SECTIONS = reading_sections()


@pytest.mark.parametrize(("doc", "section", "markdown"), SECTIONS, ids=[f"{d}: {s}" for d, s, _ in SECTIONS])
def test_every_section_reads_at_grade_8_or_below(doc: str, section: str, markdown: str) -> None:
    grade = textstat.flesch_kincaid_grade(plain_words(markdown))
    assert grade <= GRADE_LIMIT, f"{doc}, section {section!r}: Flesch-Kincaid grade {grade} (limit {GRADE_LIMIT})"
