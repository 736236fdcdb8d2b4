"""Half-width punctuation in Chinese sentences: a `check` warning naming the file and line."""

from __future__ import annotations

from pathlib import Path

from brochure.review.punctuation import in_file, marks_in
from brochure.scripts import HAN_FULL_WIDTH

WIDE = dict(zip(HAN_FULL_WIDTH[::2], HAN_FULL_WIDTH[1::2], strict=True))


def test_half_width_marks_in_chinese_sentences_are_found() -> None:
    assert [m for m, _ in marks_in("## 什么是HSG?", WIDE)] == ["?"]
    assert [m for m, _ in marks_in("检查前30至60分钟,请服用止痛药:布洛芬(如果您不能服用)!", WIDE)] == [",", ":", "(", ")", "!"]
    assert [m for m, _ in marks_in("急诊科(A&E);", WIDE)] == ["(", ")", ";"]


def test_latin_text_times_addresses_and_links_are_left_alone() -> None:
    assert marks_in("NICE CG156, Fertility problems: assessment (2013)", WIDE) == []
    assert marks_in("上午8:00至下午6:00，共1,000人", WIDE) == []
    assert marks_in("网站：https://riverside-clinic.example", WIDE) == []
    assert marks_in("请看[这里](https://example.org/a(b))。", WIDE) == []
    assert marks_in("什么是HSG？检查（HSG）：", WIDE) == []


def test_each_line_is_named_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "zh-Hans.md"
    path.write_text("---\ntitle: 您的检查\n# 注释(comment)\n---\n\n## 什么是HSG?\n\n# 检查: 准备\n", encoding="utf-8")
    found = [str(p) for p in in_file(path, HAN_FULL_WIDTH)]
    assert found == [
        f"{path}:6: half-width punctuation in a Chinese sentence: '?' in '什么是HSG?' (write '？' for '?')",
        f"{path}:8: half-width punctuation in a Chinese sentence: ':' in '检查:' (write '：' for ':')",
    ]


def test_check_warns_and_the_sample_has_none(cli, project: Path) -> None:
    clean = cli("-C", project, "check")
    assert clean.exit_code == 0, clean.output
    assert "half-width" not in clean.output
    path = project / "content" / "hsg" / "zh-Hans.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## 什么是HSG？", "## 什么是HSG?"), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if row == "## 什么是HSG?")
    result = cli("-C", project, "check")
    assert result.exit_code == 0, result.output
    expected = f"warning: {path}:{line}: half-width punctuation in a Chinese sentence: '?' in '什么是HSG?' (write '？' for '?')"
    assert expected in result.output.splitlines()
