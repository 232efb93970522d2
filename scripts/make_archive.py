#!/usr/bin/env python3
"""Writes a synthetic press archive of about N MB for benchmarks and tests.

The archive is made from the project's own sample articles: by default
corpus/news/*.txt, written like press reports (3.5 facts per KB of text, near
real news: the seed articles hold 2.9, the UD and VLSP news sentences 2.5);
`--articles corpus/articles` takes the extractor test articles instead, packed
with facts (12 per KB), for a fact-dense stress archive; `--sentences FILE`
cuts real news sentences (a CoNLL-U file's `# text` lines, or one sentence a
line with syllables joined by `_`, as ../shared holds them) into articles of
15 to 45 sentences, to measure on text nobody wrote for this project. Articles
are cut and concatenated into mixed sizes, written in the
formats real archives hold (.txt, .txt.zst, .jsonl, .jsonl.gz, .html, and a
few Windows-1258 / TCVN3 / VNI files), spread over nested folders, and salted
with bad files the reader must report and skip (binary, a truncated JSON Lines
record, invalid UTF-8, empty files). The same --seed gives the same archive.

MANIFEST in the output folder (JSON, named so readers do not take it for an
article) records what was written: articles per
format, the bad files with the error each should cause, and total bytes, so a
test can check that a reader found everything.

Usage: python3 scripts/make_archive.py --mb 100 --out DIR [--seed 1]
           [--articles DIR | --sentences FILE...]
"""
import argparse
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import unicodedata
import zlib

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


# --- Legacy encoders, from the project's own tables in lexicons/encodings/ ---

def load_table(name):
    """character -> encoded bytes (the first row for a character wins)."""
    table = {}
    path = os.path.join(ROOT, "lexicons", "encodings", name + ".tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            char = unicodedata.normalize("NFC", fields[1])
            if name == "viqr":
                seq = fields[0].encode("ascii")
            else:
                seq = bytes(int(h, 16) for h in fields[0].split())
            table.setdefault(char, seq)
    return table


class Encoders:
    def __init__(self):
        self.tcvn3 = load_table("tcvn3")
        self.vni = load_table("vni")
        self.viqr = load_table("viqr")

    def encode(self, text, encoding, lenient=False):
        """UTF-8 text -> bytes. `lenient` writes TCVN3 capitals with tone
        marks as the small letters (what the capital fonts did) and drops
        characters an encoding lacks, as old converters did."""
        text = unicodedata.normalize("NFC", text)
        if encoding == "windows-1258":
            return self._cp1258(text, lenient)
        if encoding == "viqr":
            return self._viqr(text)
        table = self.tcvn3 if encoding == "tcvn3" else self.vni
        out = bytearray()
        for ch in text:
            if ord(ch) < 0x80:
                out.append(ord(ch))
            elif ch in table:
                out += table[ch]
            elif lenient and ch.lower() in table:
                out += table[ch.lower()]
            elif not lenient:
                raise ValueError("%r cannot be written in %s" % (ch, encoding))
        return bytes(out)

    @staticmethod
    def _cp1258(text, lenient):
        # Vowel letters precomposed (â ê ô ă ơ ư), tones as combining marks
        # after them. NFD puts the dot below before the circumflex, so each
        # letter's marks are gathered first.
        out = []
        for ch in unicodedata.normalize("NFD", text):
            if not out or not unicodedata.combining(ch):
                out.append([ch, ""])
                continue
            composed = unicodedata.normalize("NFC", out[-1][0] + ch)
            if ch not in TONE_MARKS and len(composed) == 1 and _in_cp1258(composed):
                out[-1][0] = composed
            else:
                out[-1][1] += ch
        text = "".join(base + marks for base, marks in out)
        return text.encode("cp1258", errors="ignore" if lenient else "strict")

    def _viqr(self, text):
        marks = set("^(+'`?~.")
        out = ""
        for ch in text:
            if ch in self.viqr:
                out += self.viqr[ch].decode("ascii")
                continue
            prev = out[-1:]
            # A literal that would read as a mark after a vowel, or "dd" that
            # would read as the d with stroke at a word start, is escaped.
            if ch == "\\" or (ch in marks and prev != "" and (prev in "aeiouyAEIOUY" or prev in marks)):
                out += "\\"
            elif ch in "dD" and prev != "" and prev in "dD":
                before = out[-2:-1]
                if not (before.isascii() and before.isalpha()) or (ch == "D" and prev == "D"):
                    out += "\\"
            out += ch
        return out.encode("ascii", errors="replace")


def _in_cp1258(ch):
    try:
        ch.encode("cp1258")
        return True
    except UnicodeEncodeError:
        return False


# --- Articles ----------------------------------------------------------------

def load_articles(folder):
    articles = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            lines = [l.strip() for l in f.read().splitlines() if l.strip()]
        if lines:
            articles.append((name[:-4], lines))
    if not articles:
        sys.exit("make_archive: no articles in %s" % folder)
    return articles


def load_sentences(paths, rng):
    """Real news sentences cut into articles of 15 to 45 sentences, the
    first taken as the title, in the order the files give them."""
    sentences = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            conllu = path.endswith(".conllu")
            for line in f:
                line = line.strip()
                if conllu:
                    if line.startswith("# text = "):
                        sentences.append(line[len("# text = "):].strip())
                elif line and not line.startswith("#"):
                    sentences.append(line.replace("_", " "))
    articles = []
    pos = 0
    while pos < len(sentences):
        count = rng.randint(15, 45)
        lines = [s for s in sentences[pos:pos + count] if s]
        if lines:
            articles.append(("s%05d" % len(articles), lines))
        pos += count
    if not articles:
        sys.exit("make_archive: no sentences in %s" % ", ".join(paths))
    return articles


class ArticleMaker:
    """Mixed sizes: a cut of one article, one whole, or several joined."""

    def __init__(self, articles, rng):
        self.articles = articles
        self.rng = rng
        self.count = 0

    def make(self):
        rng = self.rng
        self.count += 1
        name, lines = rng.choice(self.articles)
        title = lines[0]
        kind = rng.random()
        if kind < 0.3:  # a short cut
            start = rng.randrange(len(lines))
            body = lines[start:start + rng.randint(1, 3)]
        elif kind < 0.85:  # one article
            body = list(lines)
        else:  # a long one: several articles joined
            body = list(lines)
            for _ in range(rng.randint(1, 8)):
                body += rng.choice(self.articles)[1]
        year = rng.randint(2015, 2024)
        date = "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28))
        slug = "%s-%d" % (name.replace("_", "-"), self.count)
        site = rng.choice(["baonghean.vn", "dangcongsan.vn", "baothanhhoa.vn", "qdnd.vn"])
        return {
            "title": title,
            "text": "\n".join(body),
            "date": date,
            "url": "https://%s/%s.html" % (site, slug),
            "site": site,
        }


HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title_attr}">
<meta property="article:published_time" content="{date}T08:00:00+07:00">
<link rel="canonical" href="{url}">
<style>body {{ font-family: serif; }}</style>
<script>window.dataLayer = [];</script>
</head><body>
<header><a href="/">Trang chủ</a><nav><ul><li>Thời sự</li><li>Kinh tế</li></ul></nav></header>
<div class="main-menu"><a href="/xa-hoi">Xã hội</a></div>
<article><h1>{title}</h1><time datetime="{date}">{date}</time>
{paragraphs}
</article>
<aside><h3>Tin liên quan</h3><ul><li>Tin khác</li></ul></aside>
<footer>Bản quyền thuộc về tòa soạn</footer>
<script>track();</script>
</body></html>
"""


def html_page(article):
    import html
    paragraphs = "\n".join("<p>%s</p>" % html.escape(p) for p in article["text"].split("\n"))
    return HTML_TEMPLATE.format(title=html.escape(article["title"]),
                                title_attr=html.escape(article["title"], quote=True),
                                site=article["site"], date=article["date"], url=article["url"],
                                paragraphs=paragraphs)


def jsonl_record(article, rng):
    record = {"title": article["title"], "url": article["url"]}
    if rng.random() < 0.5:  # news-please style
        record["maintext"] = article["text"]
        record["date_publish"] = article["date"] + " 08:00:00"
        record["source_domain"] = article["site"]
    else:
        record["text"] = article["text"]
        record["date"] = article["date"]
        record["source"] = article["site"]
    return json.dumps(record, ensure_ascii=False) + "\n"


def zstd_compress(data):
    proc = subprocess.run(["zstd", "-q", "-3", "-c"], input=data, capture_output=True, check=True)
    return proc.stdout


def gzip_compress(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


# --- The archive -------------------------------------------------------------

class Archive:
    def __init__(self, out, rng):
        self.out = out
        self.rng = rng
        self.files = 0
        self.bytes = 0  # uncompressed bytes of article files
        self.disk_bytes = 0
        self.articles = {}
        self.bad = []

    def path(self, ext):
        self.files += 1
        folder = os.path.join(self.out, "%02d" % self.rng.randrange(16), "%02d" % self.rng.randrange(8))
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, "f%06d%s" % (self.files, ext))

    def write(self, ext, data, raw_size, articles=0, kind=None):
        path = self.path(ext)
        with open(path, "wb") as f:
            f.write(data)
        self.bytes += raw_size
        self.disk_bytes += len(data)
        if articles:
            self.articles[kind or ext] = self.articles.get(kind or ext, 0) + articles
        return path

    def add_bad(self, ext, data, reason, good_records=0):
        path = self.write(ext, data, len(data))
        self.bad.append({"path": os.path.relpath(path, self.out), "error": reason,
                         "good_records": good_records})
        if good_records:
            self.articles[ext] = self.articles.get(ext, 0) + good_records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, required=True, help="approximate size in MB (uncompressed)")
    parser.add_argument("--out", required=True, help="output folder (created; must be empty or absent)")
    parser.add_argument("--seed", type=int, default=1)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--articles", default=os.path.join(ROOT, "corpus", "news"),
                        help="folder of sample articles, one .txt each (default: corpus/news)")
    source.add_argument("--sentences", nargs="+", metavar="FILE",
                        help="real news sentences (.conllu or one a line) cut into articles")
    args = parser.parse_args()

    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit("make_archive: %s is not empty" % args.out)
    if shutil.which("zstd") is None:
        sys.exit("make_archive: the zstd command is needed (Debian package zstd)")
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    if args.sentences:
        articles = load_sentences(args.sentences, random.Random(args.seed))
        source_desc = {"sentences": [os.path.basename(p) for p in args.sentences]}
    else:
        articles = load_articles(args.articles)
        source_desc = {"articles": os.path.relpath(os.path.abspath(args.articles), ROOT)}
    maker = ArticleMaker(articles, rng)
    encoders = Encoders()
    archive = Archive(args.out, rng)
    target = int(args.mb * 1024 * 1024)

    # One bad file of each kind first, then about one file in 40.
    bad_kinds = ["binary", "truncated_jsonl", "invalid_utf8", "empty", "truncated_gzip"]
    step = 0
    while archive.bytes < target:
        step += 1
        if step <= len(bad_kinds) or rng.random() < 0.025:
            kind = bad_kinds[step - 1] if step <= len(bad_kinds) else rng.choice(bad_kinds)
            if kind == "binary":
                data = bytes(rng.randrange(256) for _ in range(4096)) + b"\0" * 16
                archive.add_bad(".txt", data, "binary file")
            elif kind == "truncated_jsonl":
                lines = [jsonl_record(maker.make(), rng) for _ in range(rng.randint(2, 20))]
                data = "".join(lines).encode("utf-8")
                data = data[: len(data) - len(lines[-1].encode("utf-8")) // 2]
                archive.add_bad(".jsonl", data, "truncated JSON record", good_records=len(lines) - 1)
            elif kind == "truncated_gzip":
                lines = [jsonl_record(maker.make(), rng) for _ in range(rng.randint(20, 60))]
                data = gzip_compress("".join(lines).encode("utf-8"))
                data = data[: len(data) * 2 // 3]
                # The records a streaming reader can still recover: the lines
                # completed before the cut.
                recovered = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data).count(b"\n")
                archive.add_bad(".jsonl.gz", data, "truncated gzip stream", good_records=recovered)
            elif kind == "invalid_utf8":
                data = bytearray(maker.make()["text"].encode("utf-8"))
                # Cut a multi-byte letter in two, as a broken copy would.
                positions = [i for i, b in enumerate(data) if b >= 0xC0]
                pos = positions[len(positions) // 2] if positions else 0
                data[pos + 1:pos + 1] = b"\xff"
                archive.add_bad(".txt", bytes(data), "invalid UTF-8")
            else:
                archive.add_bad(".txt", b"", "empty file")
            continue
        r = rng.random()
        if r < 0.30:
            data = maker.make()["text"].encode("utf-8")
            archive.write(".txt", data, len(data), 1)
        elif r < 0.42:
            data = maker.make()["text"].encode("utf-8")
            archive.write(".txt.zst", zstd_compress(data), len(data), 1)
        elif r < 0.52:
            count = rng.randint(20, 200)
            data = "".join(jsonl_record(maker.make(), rng) for _ in range(count)).encode("utf-8")
            archive.write(".jsonl", data, len(data), count)
        elif r < 0.64:
            count = rng.randint(20, 200)
            data = "".join(jsonl_record(maker.make(), rng) for _ in range(count)).encode("utf-8")
            archive.write(".jsonl.gz", gzip_compress(data), len(data), count)
        elif r < 0.92:
            data = html_page(maker.make()).encode("utf-8")
            archive.write(".html", data, len(data), 1)
        else:
            encoding = rng.choice(["windows-1258", "tcvn3", "vni"])
            # A legacy file needs a few words with diacritics for a reader to
            # recognize its encoding; a bare heading is reported, not guessed.
            text = maker.make()["text"]
            while len(text) < 400:
                text = maker.make()["text"]
            data = encoders.encode(text, encoding, lenient=True)
            archive.write(".txt", data, len(data), 1, kind=".txt (" + encoding + ")")

    manifest = {
        "seed": args.seed,
        "source": source_desc,
        "files": archive.files,
        "bytes": archive.bytes,
        "disk_bytes": archive.disk_bytes,
        "articles": dict(sorted(archive.articles.items())),
        "total_articles": sum(archive.articles.values()),
        "bad_files": archive.bad,
    }
    with open(os.path.join(args.out, "MANIFEST"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    print("make_archive: %d files, %.1f MB of text (%.1f MB on disk), %d articles, %d bad files"
          % (archive.files, archive.bytes / 1048576, archive.disk_bytes / 1048576,
             manifest["total_articles"], len(archive.bad)))


if __name__ == "__main__":
    main()
