#!/usr/bin/env python3
"""Reproduce the bundled font subset in templates/fonts/.

Inputs (Debian packages, so any developer machine can rebuild byte-for-byte the same glyphs):
  - fonts-noto-cjk   /usr/share/fonts/opentype/noto/NotoSerifCJK-{Regular,Bold}.ttc
                     face 2 = "Noto Serif CJK SC" (SIL Open Font License 1.1)
  - unicode-data     /usr/share/unicode/Unihan_OtherMappings.txt.bz2 (kTGH = 通用规范汉字表 2013)
  - fonttools        (pip install fonttools)

Character set (written to templates/fonts/charset.txt, one code point a line, so the coverage is
reviewable without tools):
  1. every character of 通用规范汉字表 (8,105, Unihan kTGH);
  2. every character encodable in GB2312 (6,763 hanzi + 682 symbols: punctuation, full-width
     forms, Greek, Cyrillic, kana, box drawing, pinyin with tones, ①…⑩, Ⅰ…Ⅻ);
  3. printable ASCII, Latin-1, full-width forms U+FF01–FF5E, CJK symbols U+3000–303F and a few
     extra punctuation marks (— – ‘ ’ “ ” … · ￥ № ℃ ×, …);
  minus what the font lacks (reported).
The GB2312 set is a superset of what villagers' names normally need beyond 通用规范汉字表 and is
cheap; GBK's 21,003 hanzi would triple the file for characters seldom seen in a village roster.
A village whose names need more uses `--font FILE` (e.g. a system 仿宋) — the renderer refuses
any character its font lacks, naming it.

Outlines are converted from CFF (cubic) to TrueType (quadratic, max error 1 unit of 1000): the
PDF then embeds a CIDFontType2/FontFile2, which every viewer and text extractor handles, and the
per-document subsetter never has to deal with CID-keyed CFF charsets.

Usage: python3 scripts/make-font-subset.py [OUT_DIR]   (default: templates/fonts)
"""
import bz2
import os
import sys

from fontTools.ttLib import TTFont, newTable
from fontTools.subset import Options, Subsetter
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

NOTO_DIR = "/usr/share/fonts/opentype/noto"
UNIHAN = "/usr/share/unicode/Unihan_OtherMappings.txt.bz2"
SC_FACE = 2
FACES = [("NotoSerifCJK-Regular.ttc", "NotoSerifSC-liuyi-Regular.ttf"),
         ("NotoSerifCJK-Bold.ttc", "NotoSerifSC-liuyi-Bold.ttf")]


def charset():
    cps = set()
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                cps.add(int(parts[0][2:], 16))
    tgh = len(cps)
    assert tgh == 8105, f"kTGH has {tgh} characters, expected 8105"
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        cps.add(cp)
    cps.update(range(0x20, 0x7F))
    cps.update(range(0xA0, 0x100))
    cps.update(range(0x3000, 0x3040))
    cps.update(range(0xFF01, 0xFF5F))
    cps.update(range(0xFFE0, 0xFFE7))
    cps.update([0x2013, 0x2014, 0x2015, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2030,
                0x2032, 0x2033, 0x203B, 0x2116, 0x2103, 0x00D7, 0x00F7, 0x2236, 0x2264,
                0x2265, 0x2260, 0x00B1, 0x2022, 0x25CB, 0x25CF, 0x25A1, 0x25A0, 0x2610,
                0x2611, 0x2713, 0x2714])
    return cps, tgh


def to_truetype(font):
    """Replace the CFF outlines with quadratic glyf outlines (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        gs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["maxp"].tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(font["maxp"], attr, 0)
    font["maxp"].maxZones = 1
    font["maxp"].maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "templates/fonts"
    os.makedirs(out_dir, exist_ok=True)
    cps, tgh = charset()
    for src, dst in FACES:
        # recalcTimestamp=False keeps head.modified from the source: same inputs, same bytes.
        font = TTFont(os.path.join(NOTO_DIR, src), fontNumber=SC_FACE, lazy=False,
                      recalcTimestamp=False)
        cmap = font.getBestCmap()
        present = sorted(cp for cp in cps if cp in cmap)
        missing = sorted(cp for cp in cps if cp not in cmap)
        opts = Options()
        opts.layout_features = []  # horizontal text, no shaping: GSUB/GPOS are dropped
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.hinting = False
        opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
        sub = Subsetter(opts)
        sub.populate(unicodes=present)
        sub.subset(font)
        to_truetype(font)
        path = os.path.join(out_dir, dst)
        font.save(path, reorderTables=True)
        print(f"{dst}: {len(present)} characters ({tgh} of 通用规范汉字表), "
              f"{font['maxp'].numGlyphs} glyphs, {os.path.getsize(path)} bytes; "
              f"missing from font: {' '.join(f'U+{c:04X}' for c in missing) or 'none'}")
        if src == FACES[0][0]:
            with open(os.path.join(out_dir, "charset.txt"), "w", encoding="utf-8") as f:
                f.write("# Characters the bundled font covers (generated by "
                        "scripts/make-font-subset.py)\n")
                for cp in present:
                    f.write(f"U+{cp:04X}\t{chr(cp) if cp > 0x20 else ''}\n")


if __name__ == "__main__":
    main()
