#!/usr/bin/env python3
"""Regenerate the Chinese font shipped in assets/fonts/ from Noto Sans CJK.

The app ships a subset of Noto Sans CJK SC (SIL Open Font License 1.1, see
assets/fonts/OFL.txt) so that Chinese renders on a machine without any CJK font.
The subset holds:

* ASCII and Latin-1, general punctuation, arrows, a few symbols and shapes;
* CJK symbols and punctuation, full-width and half-width forms;
* the 3,755 common characters of GB2312 level 1;
* every character that appears in rules/*.toml and rules/scenarios/*.toml, and in
  any Python file under game/ (so text added by a rule author is always covered).

A rule author who adds Chinese text with a rare character reruns this script::

    python tools/subset_font.py                      # uses the Debian/Ubuntu fonts-noto-cjk path
    python tools/subset_font.py --source /path/to/NotoSansCJK-Regular.ttc
    python tools/subset_font.py --source NotoSansSC-Regular.otf   # a single-face font works too

and commits the new assets/fonts/*.otf. tests/ui/test_fonts.py fails, listing the
characters, while the shipped font lacks any character of the rules.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "fonts"

# (weight, system source candidates, output file name)
FACES = {
    "Regular": (
        ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"],
        "NotoSansSC-ClosedLoop-Regular.otf",
    ),
    "Bold": (
        ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
         "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
         "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"],
        "NotoSansSC-ClosedLoop-Bold.otf",
    ),
}
FAMILY = "Noto Sans SC ClosedLoop"   # renamed so it never clashes with an installed Noto
PS_FAMILY = "NotoSansSC-ClosedLoop"

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # general punctuation: — – “ ” ‘ ’ … ‰ •
    (0x20A0, 0x20BF),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols: №, ℃
    (0x2150, 0x218F),  # number forms: Ⅰ Ⅱ Ⅲ
    (0x2190, 0x21FF),  # arrows: ← ↑ → ↓
    (0x2200, 0x22FF),  # mathematical operators: ≈ ≤ ≥ ∞
    (0x2460, 0x24FF),  # enclosed numbers: ① ②
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: ■ ● ▲ (the company marks)
    (0x2600, 0x26FF),  # miscellaneous symbols: ★ ☆
    (0x2700, 0x27BF),  # dingbats: ✓ ✗
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。《》「」【】
    (0xFF00, 0xFFEF),  # half-width and full-width forms: ,:;!?()
]


def gb2312_level1() -> set[int]:
    """The 3,755 common characters: GB2312 rows 0xB0-0xD7."""
    chars: set[int] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
    return chars


def project_text_files(root: Path = ROOT) -> list[Path]:
    rules = root / "rules"
    files = sorted(rules.glob("*.toml")) + sorted((rules / "scenarios").glob("*.toml"))
    files += sorted((root / "game").rglob("*.py"))
    return files


def project_chars(root: Path = ROOT) -> set[int]:
    chars: set[int] = set()
    for path in project_text_files(root):
        for ch in path.read_text(encoding="utf-8"):
            if ord(ch) >= 0x20:
                chars.add(ord(ch))
    return chars


def wanted_unicodes(root: Path = ROOT) -> set[int]:
    wanted = set()
    for lo, hi in RANGES:
        wanted.update(range(lo, hi + 1))
    wanted |= gb2312_level1()
    wanted |= project_chars(root)
    return wanted


def open_sc_face(source: Path) -> TTFont:
    """The Simplified Chinese face of a Noto CJK collection, or the font itself."""
    if source.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(source))
        for font in collection.fonts:
            family = font["name"].getDebugName(1) or ""
            if family.endswith("CJK SC") and "Mono" not in family:
                return font
        raise SystemExit(f"{source}: no 'Noto Sans CJK SC' face in this collection")
    return TTFont(str(source))


def rename(font: TTFont, weight: str) -> None:
    name = font["name"]
    full = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
    ps = f"{PS_FAMILY}-{weight}"
    for record in list(name.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
            name.removeNames(nameID=record.nameID)
    for nid, value in ((1, FAMILY), (2, weight), (3, f"{ps};subset for Closed Loop"),
                       (4, full), (6, ps)):
        name.setName(value, nid, 3, 1, 0x409)
        name.setName(value, nid, 1, 0, 0)
    old_desc = name.getDebugName(10) or ""
    name.setName((old_desc + " " if old_desc else "")
                 + "Subset of Noto Sans CJK SC for the game Closed Loop (tools/subset_font.py).",
                 10, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]
        top = cff.topDictIndex[0]
        top.FamilyName = FAMILY
        top.FullName = full


def make_subset(source: Path, out: Path, weight: str, unicodes: set[int]) -> tuple[int, int, set[int]]:
    font = open_sc_face(source)
    cmap = font.getBestCmap()
    missing = {u for u in unicodes if u not in cmap}
    options = subset.Options()
    # fontTools' default features (kerning, ligatures, ...) minus 'locl', which would pull in
    # the Japanese, Korean and Traditional Chinese variants of every glyph.
    options.layout_features = [f for f in options.layout_features if f != "locl"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for u in unicodes if u in cmap])
    subsetter.subset(font)
    rename(font, weight)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return out.stat().st_size, len(font.getGlyphOrder()), missing


def find_source(candidates: list[str]) -> Path | None:
    for c in candidates:
        if Path(c).exists():
            return Path(c)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="Noto Sans CJK Regular (.ttc or SC .otf)")
    parser.add_argument("--bold-source", type=Path, help="Noto Sans CJK Bold (.ttc or SC .otf)")
    parser.add_argument("--no-bold", action="store_true", help="only make the regular face")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    unicodes = wanted_unicodes()
    print(f"{len(unicodes)} code points wanted "
          f"({len(project_chars())} distinct characters in the rules and game sources)")
    jobs = [("Regular", args.source or find_source(FACES["Regular"][0]))]
    if not args.no_bold:
        jobs.append(("Bold", args.bold_source or find_source(FACES["Bold"][0])))
    status = 0
    for weight, source in jobs:
        if source is None:
            print(f"{weight}: no Noto Sans CJK source found; install fonts-noto-cjk or pass "
                  f"--{'bold-' if weight == 'Bold' else ''}source", file=sys.stderr)
            status = 1 if weight == "Regular" else status
            continue
        out = args.out_dir / FACES[weight][1]
        size, glyphs, missing = make_subset(source, out, weight, unicodes)
        print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: "
              f"{size / 1e6:.2f} MB, {glyphs} glyphs")
        project_missing = sorted(chr(u) for u in missing & project_chars() if u > 0x2E80)
        if project_missing:
            print(f"  warning: the source font lacks {''.join(project_missing)}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
