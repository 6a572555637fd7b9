#!/usr/bin/env python3
"""Turn the ASCII punctuation of the Chinese texts in rules files full-width (docs/glossary.md).

    python tools/zh_punct.py rules/*.toml rules/scenarios/*.toml

Rewrites each `zh = "..."` string in place: , : ; ? ! ( ) become ，：；？！（）, and spaces next
to them go. Left alone: {placeholders}, numbers (1,250), menu accelerators (&F) and file-dialog
filters (*.png). It does not choose words: tests/test_vocabulary.py lists the terms to change.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
KEEP = [r"\(&[A-Za-z]\)", r"\s\(\*\.[a-z]+\)", r"\d,\d{3}"]
ZH_STRING = re.compile(r'(\bzh = ")((?:[^"\\\n]|\\.)*)"')


def _plain(text: str) -> str:
    kept: dict[str, str] = {}

    def keep(m: re.Match) -> str:
        key = f"\x01{len(kept)}\x02"
        kept[key] = m.group(0)
        return key

    for pattern in KEEP:
        text = re.sub(pattern, keep, text)
    text = "".join(FULL.get(c, c) for c in text)
    text = re.sub(r" +([，。：；？！（）])", r"\1", text)
    text = re.sub(r"([，。：；？！（）]) +", r"\1", text)
    for key, value in kept.items():
        text = text.replace(key, value)
    return text


def full_width(text: str) -> str:
    """A Chinese text with full-width punctuation; its {placeholders} untouched.

    >>> full_width("{company}:GMV {gmv},资金+{income}(含外链)!")
    '{company}：GMV {gmv}，资金+{income}（含外链）！'
    >>> full_width("文件(&F)"), full_width("PNG图片 (*.png)"), full_width("1,250亿元")
    ('文件(&F)', 'PNG图片 (*.png)', '1,250亿元')
    """
    out, last = [], 0
    for m in re.finditer(r"\{[^{}]*\}", text):
        out += [_plain(text[last:m.start()]), m.group(0)]
        last = m.end()
    return "".join(out + [_plain(text[last:])])


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip())
        return 2
    for name in argv:
        path = Path(name)
        src = path.read_text(encoding="utf-8")
        new = ZH_STRING.sub(lambda m: m.group(1) + full_width(m.group(2)) + '"', src)
        if new != src:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
