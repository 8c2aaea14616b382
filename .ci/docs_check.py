"""Checks the documentation: the book's table of contents, every relative link and anchor, and the
snippets the README shares with the book.

Usage: python docs_check.py REPO [BOOK]

- docs/src/SUMMARY.md names only pages that exist, and every page under docs/src/ is in it.
- Every relative link of README.md, CONTRIBUTING.md and the pages of docs/src/ (read with the
  text their mdBook `{{#include}}`s bring in, resolved from the including page, as mdBook does)
  names a file that exists; `#anchor` names a heading of that file (GitHub's and mdBook's ids,
  which agree for the headings written here) or an explicit `id=`. A page's links stay inside the
  book (docs/src/): the rendered book has nothing else to link to.
- With BOOK (the folder `mdbook build` wrote, docs/book), the rendered HTML is checked too: every
  local `href` names a file of the book and its `#fragment` an `id` in that file.
- Every snippet a CI script runs (the fenced block after a `<!-- recipe:NAME`, `<!-- nvim:VERSION`
  or `<!-- pre-commit-config` marker) is in the book, and identical wherever it appears.
"""

import html.parser
import os
import re
import sys
import urllib.parse

FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INCLUDE = re.compile(r"\{\{#include\s+([^}\s]+)\s*\}\}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ID = re.compile(r"""\bid=["']([^"']+)["']""")
SNIPPET = re.compile(r"<!-- (recipe:[\w-]+|nvim:[0-9.]+|pre-commit-config)\b[^\n]*-->\n```\w*\n(.*?)^```", re.S | re.M)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)

errors = []


def fail(where, message):
    errors.append(f"{where}: {message}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def include(path, spec, where, depth=0):
    """The text an mdBook `{{#include file[:anchor|:start:end]}}` brings in."""
    target, _, select = spec.partition(":")
    full = os.path.normpath(os.path.join(os.path.dirname(path), target))
    if not os.path.isfile(full):
        fail(where, f"includes {target}, which does not exist")
        return ""
    text = expand(full, depth + 1)
    lines = text.split("\n")
    if not select:
        return text
    if re.fullmatch(r"[0-9]*(:[0-9]*)?", select):
        start, _, end = select.partition(":")
        return "\n".join(lines[int(start or 1) - 1 : int(end) if end else None])
    begin = [i for i, l in enumerate(lines) if re.search(rf"\bANCHOR:\s*{re.escape(select)}\b", l)]
    end = [i for i, l in enumerate(lines) if re.search(rf"\bANCHOR_END:\s*{re.escape(select)}\b", l)]
    if len(begin) != 1 or len(end) != 1 or end[0] < begin[0]:
        fail(where, f"includes {target}:{select}, but {target} has no single ANCHOR/ANCHOR_END {select} pair")
        return ""
    return "\n".join(l for l in lines[begin[0] + 1 : end[0]] if "ANCHOR" not in l)


def expand(path, depth=0):
    """A page's text with its includes expanded (as mdBook's `links` preprocessor does)."""
    text = read(path)
    if depth > 5:
        fail(path, "includes nest deeper than 5 levels")
        return text
    return INCLUDE.sub(lambda m: include(path, m.group(1), os.path.relpath(path), depth), text)


def prose(text):
    """(line number, line) of the text outside fenced code blocks, inline code spans removed."""
    inside = False
    for n, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line.lstrip()):
            inside = not inside
            continue
        if not inside:
            yield n, re.sub(r"`+[^`]*`+", "", line)


def slug(heading):
    """GitHub's (and mdBook's) id of a heading: lower case, letters, digits, `-` and `_` kept,
    spaces made `-`, anything else dropped."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return "".join(c for c in text.lower().replace(" ", "-") if c.isalnum() or c in "-_")


anchors_cache = {}


def anchors(path):
    if path not in anchors_cache:
        ids, seen = set(), {}
        text = expand(path) if path.endswith(".md") else read(path)
        inside = False
        for line in text.split("\n"):
            if FENCE.match(line.lstrip()):
                inside = not inside
                continue
            if inside:
                continue
            ids.update(EXPLICIT_ID.findall(line))
            m = HEADING.match(line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                ids.add(base if n == 0 else f"{base}-{n}")
        anchors_cache[path] = ids
    return anchors_cache[path]


def check_links(path, text, repo, book_src=None):
    """Relative links of `text` (the page at `path`, includes expanded)."""
    where = os.path.relpath(path, repo)
    for n, line in prose(text):
        for m in LINK.finditer(line):
            target = m.group(1)
            if EXTERNAL.match(target):
                continue
            file, _, fragment = target.partition("#")
            file = urllib.parse.unquote(file)
            full = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            if not os.path.exists(full):
                fail(f"{where}:{n}", f"links to {target}: {file} does not exist")
                continue
            if book_src and not full.startswith(book_src + os.sep):
                fail(f"{where}:{n}", f"links to {target}, outside the book (docs/src/): use a page or a URL")
                continue
            if fragment:
                if not full.endswith(".md"):
                    fail(f"{where}:{n}", f"links to {target}: an anchor in a file that is not Markdown")
                elif fragment not in anchors(full):
                    fail(f"{where}:{n}", f"links to {target}: {os.path.relpath(full, repo)} has no heading `{fragment}`")


def summary_pages(src):
    pages = []
    for n, line in prose(read(os.path.join(src, "SUMMARY.md"))):
        for m in LINK.finditer(line):
            pages.append((n, os.path.normpath(os.path.join(src, m.group(1)))))
    return pages


class Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.hrefs = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.hrefs.append((self.getpos()[0], a["href"]))


def check_book(book, repo):
    parsed = {}

    def page(path):
        if path not in parsed:
            p = Html()
            p.feed(read(path))
            parsed[path] = p
        return parsed[path]

    pages = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(book) for f in fs if f.endswith(".html")
    )
    if not pages:
        fail(os.path.relpath(book, repo), "no HTML page: was the book built?")
    for path in pages:
        for line, href in page(path).hrefs:
            if EXTERNAL.match(href) or href.startswith("//"):
                continue
            file, _, fragment = href.partition("#")
            file = urllib.parse.unquote(file.split("?")[0])
            full = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            if os.path.isdir(full):
                full = os.path.join(full, "index.html")
            where = f"{os.path.relpath(path, repo)}:{line}"
            if not os.path.isfile(full):
                fail(where, f"links to {href}, which the book does not have")
            elif fragment and full.endswith(".html") and urllib.parse.unquote(fragment) not in page(full).ids:
                fail(where, f"links to {href}: no id `{fragment}` in {os.path.relpath(full, repo)}")
    return len(pages)


def main():
    repo = os.path.abspath(sys.argv[1])
    book = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
    src = os.path.join(repo, "docs", "src")

    listed = summary_pages(src)
    for n, p in listed:
        if not os.path.isfile(p):
            fail(f"docs/src/SUMMARY.md:{n}", f"names {os.path.relpath(p, repo)}, which does not exist")
    named = {p for _, p in listed}
    pages = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".md"))
    for p in pages:
        if p not in named and os.path.basename(p) != "SUMMARY.md":
            fail(os.path.relpath(p, repo), "is not in docs/src/SUMMARY.md")

    for name in ["README.md", "CONTRIBUTING.md"]:
        path = os.path.join(repo, name)
        check_links(path, read(path), repo)
    for p in pages:
        check_links(p, expand(p), repo, book_src=src)

    snippets = {}
    for path in [os.path.join(repo, "README.md")] + pages:
        for m in SNIPPET.finditer(expand(path)):
            snippets.setdefault(m.group(1), []).append((os.path.relpath(path, repo), m.group(2)))
    for marker, found in sorted(snippets.items()):
        if not any(p.startswith("docs/") for p, _ in found):
            fail(found[0][0], f"the `{marker}` snippet is not in the book (docs/src/)")
        for p, text in found[1:]:
            if text != found[0][1]:
                fail(p, f"the `{marker}` snippet differs from the one in {found[0][0]}")

    rendered = check_book(book, repo) if book else 0
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(f"docs: {len(errors)} problems")
    print(
        f"docs: {len(pages)} pages in SUMMARY.md, links and anchors of README.md, CONTRIBUTING.md "
        f"and the pages resolve, {len(snippets)} shared snippets agree"
        + (f", {rendered} rendered pages link only to what exists" if book else "")
    )


if __name__ == "__main__":
    main()
