"""Geometry of the server-rendered SVG bar chart on the demand page.

The page draws the chart as inline SVG from these numbers, so it needs no
script and passes a Content Security Policy that allows only 'self'.
"""

from dataclasses import dataclass

LABEL_WIDTH = 220
BAR_AREA_WIDTH = 420
BAR_HEIGHT = 12
BAR_GAP = 2
ROW_HEIGHT = 2 * BAR_HEIGHT + BAR_GAP + 14
TOP = 30


@dataclass(frozen=True)
class ChartRow:
    name: str
    taught: bool
    y: int
    label_y: int
    vacancies: int
    vacancies_width: int
    lacking: int
    lacking_y: int
    lacking_width: int


@dataclass(frozen=True)
class Chart:
    rows: list[ChartRow]
    width: int
    height: int
    label_width: int
    scale_max: int
    value_x_offset: int


def _bar_width(value: int, scale_max: int) -> int:
    if scale_max == 0 or value == 0:
        return 0
    return max(1, round(BAR_AREA_WIDTH * value / scale_max))


def demand_chart(rows) -> Chart:
    """Lay out two bars per skill: open vacancies and applicants lacking it."""
    scale_max = max(
        [row.open_vacancies for row in rows] + [row.applicants_lacking for row in rows],
        default=0,
    )
    chart_rows = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        chart_rows.append(
            ChartRow(
                name=row.name,
                taught=row.taught,
                y=y,
                label_y=y + BAR_HEIGHT + BAR_GAP // 2 + 4,
                vacancies=row.open_vacancies,
                vacancies_width=_bar_width(row.open_vacancies, scale_max),
                lacking=row.applicants_lacking,
                lacking_y=y + BAR_HEIGHT + BAR_GAP,
                lacking_width=_bar_width(row.applicants_lacking, scale_max),
            )
        )
    return Chart(
        rows=chart_rows,
        width=LABEL_WIDTH + BAR_AREA_WIDTH + 60,
        height=TOP + len(rows) * ROW_HEIGHT + 10,
        label_width=LABEL_WIDTH,
        scale_max=scale_max,
        value_x_offset=LABEL_WIDTH + 6,
    )
