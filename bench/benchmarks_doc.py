"""Writing one benchmark's section of docs/benchmarks.md."""

from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(heading: str, text: str) -> None:
    """Replace the section that starts with ``heading`` by ``text``.

    The old section runs to the next second-level heading, so its
    subsections go too; a missing section is appended at the end.
    """
    current = PATH.read_text() if PATH.exists() else "# Benchmarks\n\n"
    start = current.find(heading)
    if start >= 0:
        end = current.find("\n## ", start + 1)
        current = current[:start] + current[end + 1 :] if end >= 0 else current[:start]
    PATH.write_text(current.rstrip() + "\n\n" + text)
