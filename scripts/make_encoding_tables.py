#!/usr/bin/env python3
"""Writes the legacy Vietnamese encoding tables in lexicons/encodings/.

The tables are derived here from the structure of each encoding and from
Unicode (unicodedata composes every letter), so they can be regenerated and
reviewed instead of being copied from somewhere:

  tcvn3.tsv  TCVN 5712:1993 VN3, the 8-bit layout of the ABC fonts (.VnTime):
             lowercase letters with tone marks and the seven base capitals.
  vni.tsv    VNI-Windows: an ASCII base letter followed by one mark byte, plus
             a few one-byte letters (i with tones, y with dot, o/u with horn, d
             with stroke).
  viqr.tsv   VIQR (RFC 1456): ASCII mnemonics after the vowel, ^ ( + for the
             vowel marks and ' ` ? ~ . for the tones; DD/dd for d with stroke.

Usage: python3 scripts/make_encoding_tables.py [OUT_DIR]
"""
import os
import sys
import unicodedata

# Combining marks, in the order the tables below list tone slots.
GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
TONES = [GRAVE, HOOK, TILDE, ACUTE, DOT]
TONE_NAMES = {GRAVE: "huyền", HOOK: "hỏi", TILDE: "ngã", ACUTE: "sắc", DOT: "nặng"}

# The twelve vowel letters without tone, as base + vowel mark.
VOWELS = {
    "a": "a", "ă": "a" + BREVE, "â": "a" + CIRCUMFLEX, "e": "e", "ê": "e" + CIRCUMFLEX,
    "i": "i", "o": "o", "ô": "o" + CIRCUMFLEX, "ơ": "o" + HORN, "u": "u",
    "ư": "u" + HORN, "y": "y",
}


def compose(base, *marks):
    return unicodedata.normalize("NFC", base + "".join(marks))


def hexbytes(seq):
    return " ".join("%02X" % b for b in seq)


# Word-processor punctuation that legacy-font documents saved as 8-bit text
# carry in the Windows-1252 positions (smart quotes, dashes, ellipsis): the
# fonts never used these slots for letters, so reading them as 1252 is safe.
CP1252_PUNCTUATION = [0x85, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97]


def tcvn3_rows():
    rows = []
    capitals = ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"]
    for i, c in enumerate(capitals):
        rows.append(([0xA1 + i], c, "capital " + c))
        rows.append(([0xA8 + i], c.lower(), "small " + c.lower()))
    # Tone slots per vowel in VN3 order: huyền, hỏi, ngã, sắc, nặng. The
    # layout skips bytes the fonts kept for other glyphs, hence the jumps.
    slots = {
        "a": [0xB5, 0xB6, 0xB7, 0xB8, 0xB9],
        "ă": [0xBB, 0xBC, 0xBD, 0xBE, 0xC6],
        "â": [0xC7, 0xC8, 0xC9, 0xCA, 0xCB],
        "e": [0xCC, 0xCE, 0xCF, 0xD0, 0xD1],
        "ê": [0xD2, 0xD3, 0xD4, 0xD5, 0xD6],
        "i": [0xD7, 0xD8, 0xDC, 0xDD, 0xDE],
        "o": [0xDF, 0xE1, 0xE2, 0xE3, 0xE4],
        "ô": [0xE5, 0xE6, 0xE7, 0xE8, 0xE9],
        "ơ": [0xEA, 0xEB, 0xEC, 0xED, 0xEE],
        "u": [0xEF, 0xF1, 0xF2, 0xF3, 0xF4],
        "ư": [0xF5, 0xF6, 0xF7, 0xF8, 0xF9],
        "y": [0xFA, 0xFB, 0xFC, 0xFD, 0xFE],
    }
    for vowel, codes in slots.items():
        for tone, code in zip(TONES, codes):
            rows.append(([code], compose(VOWELS[vowel], tone), vowel + " " + TONE_NAMES[tone]))
    rows.append(([0xA0], "\u00a0", "no-break space"))
    for b in CP1252_PUNCTUATION:
        rows.append(([b], bytes([b]).decode("cp1252"), "Windows-1252 punctuation"))
    return rows


def vni_rows():
    # Mark bytes for lowercase letters; the capital form of each is 0x20 lower.
    tone_byte = {GRAVE: 0xF8, ACUTE: 0xF9, HOOK: 0xFB, TILDE: 0xF5, DOT: 0xEF}
    circumflex_byte = {None: 0xE2, GRAVE: 0xE0, ACUTE: 0xE1, HOOK: 0xE5, TILDE: 0xE3, DOT: 0xE4}
    breve_byte = {None: 0xEA, GRAVE: 0xE8, ACUTE: 0xE9, HOOK: 0xFA, TILDE: 0xFC, DOT: 0xEB}
    # Letters VNI writes as one byte of their own.
    single = {"ơ": 0xF4, "ư": 0xF6, "đ": 0xF1}
    single_i = {GRAVE: 0xEC, ACUTE: 0xED, HOOK: 0xE6, TILDE: 0xF3, DOT: 0xF2}
    canonical, alternates = [], []

    def add(seq_lower, char_lower, note):
        canonical.append((seq_lower, char_lower, note))
        upper = [b - 0x20 if b >= 0x80 else ord(chr(b).upper()) for b in seq_lower]
        canonical.append((upper, char_lower.upper(), note))
        if len(seq_lower) == 2 and seq_lower[0] < 0x80:
            # A capital base letter followed by the small mark byte, as keyboard
            # drivers write title case ("AÙnh" is Ánh too).
            alternates.append(([upper[0], seq_lower[1]], char_lower.upper(), note + ", title case"))

    for letter, code in single.items():
        add([code], letter, "one byte")
    for base in "aeouy":
        for tone, code in tone_byte.items():
            if base == "y" and tone == DOT:
                continue
            add([ord(base), code], compose(base, tone), base + " " + TONE_NAMES[tone])
    add([0xEE], compose("y", DOT), "y nặng, one byte")
    for tone, code in single_i.items():
        add([code], compose("i", tone), "i " + TONE_NAMES[tone] + ", one byte")
    for base in "aeo":
        for tone, code in circumflex_byte.items():
            marks = [CIRCUMFLEX] + ([tone] if tone else [])
            add([ord(base), code], compose(base, *marks),
                base + " circumflex" + (" " + TONE_NAMES[tone] if tone else ""))
    for tone, code in breve_byte.items():
        marks = [BREVE] + ([tone] if tone else [])
        add([ord("a"), code], compose("a", *marks),
            "a breve" + (" " + TONE_NAMES[tone] if tone else ""))
    for letter in "ơư":
        for tone, code in tone_byte.items():
            add([single[letter], code], compose(VOWELS[letter], tone), letter + " " + TONE_NAMES[tone])
    rows = canonical + alternates
    for b in CP1252_PUNCTUATION:
        rows.append(([b], bytes([b]).decode("cp1252"), "Windows-1252 punctuation"))
    return rows


def viqr_rows():
    vowel_mark = {None: "", CIRCUMFLEX: "^", BREVE: "(", HORN: "+"}
    tone_mark = {None: "", ACUTE: "'", GRAVE: "`", HOOK: "?", TILDE: "~", DOT: "."}
    rows = []
    allowed = {"a": [None, CIRCUMFLEX, BREVE], "e": [None, CIRCUMFLEX], "i": [None],
               "o": [None, CIRCUMFLEX, HORN], "u": [None, HORN], "y": [None]}
    for base, marks in allowed.items():
        for mark in marks:
            for tone in tone_mark:
                if mark is None and tone is None:
                    continue  # a bare vowel is itself
                seq = base + vowel_mark[mark] + tone_mark[tone]
                char = compose(base, *[m for m in (mark, tone) if m])
                rows.append((seq, char))
                rows.append((seq.upper(), char.upper()))
    rows.append(("dd", "đ"))
    rows.append(("DD", "Đ"))
    rows.append(("Dd", "Đ"))  # title case, decoding only
    return rows


HEADER = {
    "tcvn3": """# TCVN3 (TCVN 5712:1993 VN3, the ABC fonts such as .VnTime) to Unicode.
# Generated by scripts/make_encoding_tables.py; edit the script, not this file.
# Bytes below 0x80 are ASCII and not listed. Capitals with tone marks do not
# exist in VN3: documents set them in the capital font (.VnTimeH) with the
# small-letter bytes, so they decode as small letters.
#
# Columns: bytes (hex)<TAB>character<TAB>note
""",
    "vni": """# VNI-Windows to Unicode: an ASCII letter followed by a mark byte, or a
# letter of its own byte. Generated by scripts/make_encoding_tables.py; edit
# the script, not this file. The decoder takes the longest sequence that
# matches; the first row for a character is the one the encoder writes.
#
# Columns: bytes (hex)<TAB>character<TAB>note
""",
    "viqr": """# VIQR (RFC 1456) to Unicode: mnemonics written after the vowel, vowel mark
# (^ breve-( horn-+) before tone (' ` ? ~ .), and DD/dd for the d with stroke.
# Generated by scripts/make_encoding_tables.py; edit the script, not this file.
# The first row for a character is the one the encoder writes.
#
# Columns: sequence<TAB>character
""",
}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "lexicons", "encodings")
    os.makedirs(out_dir, exist_ok=True)
    for name, rows in (("tcvn3", tcvn3_rows()), ("vni", vni_rows())):
        seen = set()
        with open(os.path.join(out_dir, name + ".tsv"), "w", encoding="utf-8") as f:
            f.write(HEADER[name])
            for seq, char, note in rows:
                assert tuple(seq) not in seen, (name, seq)
                seen.add(tuple(seq))
                f.write("%s\t%s\t%s\n" % (hexbytes(seq), char, note))
    seen = set()
    with open(os.path.join(out_dir, "viqr.tsv"), "w", encoding="utf-8") as f:
        f.write(HEADER["viqr"])
        for seq, char in viqr_rows():
            if seq in seen:
                continue
            seen.add(seq)
            f.write("%s\t%s\n" % (seq, char))


if __name__ == "__main__":
    main()
