"""Print the shell blocks of a page in docs/beheer, so that a test can run exactly what it says.

    python3 deploy/test/docs_blocks.py docs/beheer/installatie.md            # how many, and their headings
    python3 deploy/test/docs_blocks.py docs/beheer/installatie.md "## 3."    # the blocks under that heading

A block is a fenced block marked ``sh``; its heading is the nearest ``#`` line above it. Only the
standard library: this runs before anything is installed.
"""

import re
import sys
from pathlib import Path


def blocks(text: str) -> list[tuple[str, str]]:
    """(heading, body) of every ```sh block, in the order of the page."""
    found, heading = [], ""
    for match in re.finditer(r"^(#{1,6} [^\n]*)$|^```sh\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
        if match[1]:
            heading = match[1]
        else:
            found.append((heading, match[2]))
    return found


def main(argv: list[str]) -> int:
    page = Path(argv[1]).read_text(encoding="utf-8")
    if len(argv) == 2:
        for heading, _ in blocks(page):
            print(heading)
        return 0
    chosen = [body for heading, body in blocks(page) if heading.startswith(argv[2])]
    if not chosen:
        print(f"no shell block under a heading starting with {argv[2]!r} in {argv[1]}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
