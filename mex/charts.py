"""Bar charts drawn as SVG on the server.

The site's Content Security Policy allows scripts and styles only from this
site, so charts are plain SVG markup with presentation attributes and no
inline style or script. Every chart's numbers are also shown in a table.
"""

from dataclasses import dataclass

# Sizes in SVG user units. The SVG scales to its container's width.
WIDTH = 480
BAR_HEIGHT = 24
BAR_GAP = 10
LABEL_WIDTH = 170
VALUE_WIDTH = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    text_y: float
    value_x: float
    colour: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_x: int


def bar_chart(
    title: str, rows: list[tuple[str, float]], colour: str = "#0d6efd"
) -> BarChart:
    """Lay out a horizontal bar chart of ``rows`` (label, value >= 0)."""
    largest = max((value for _label, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = span * max(value, 0) / largest
        bars.append(
            Bar(
                label=label,
                value=value,
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                text_y=y + BAR_HEIGHT * 0.7,
                value_x=round(LABEL_WIDTH + width + 6, 1),
                colour=colour,
            )
        )
    height = BAR_GAP + len(rows) * (BAR_HEIGHT + BAR_GAP)
    return BarChart(
        title=title, bars=bars, width=WIDTH, height=height, label_x=LABEL_WIDTH - 8
    )
