"""Geometry of the report charts, drawn as inline SVG by the templates (no script, no
library): grouped bars of a monthly trend, one 100 % bar of shares, and ranked horizontal
bars. Pure functions of numbers and labels; the views pick the figures."""

from dataclasses import dataclass, field
from math import ceil, floor, log10

# Drawn about the size they are shown in the page (text keeps its size on a desktop).
TREND_WIDTH, TREND_HEIGHT = 1040, 280
LEFT, BOTTOM, TOP = 44, 28, 12
RANK_WIDTH, RANK_LABEL, RANK_ROW = 1040, 440, 26
LABEL_CHARS = 64


@dataclass(frozen=True)
class Series:
    name: str  # css class suffix
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: Series
    title: str
    href: str = ""


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, text, full
    values: list[tuple[float, float, str]] = field(default_factory=list)
    plot_left: float = LEFT
    plot_right: float = 0
    baseline: float = 0

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def nice_step(top: int, ticks: int = 4) -> int:
    """A step of 1, 2 or 5 × 10^k giving about `ticks` gridlines up to `top`."""
    raw = max(1.0, top / ticks)
    power = 10 ** floor(log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover


def _ticks(top: int, plot: float, bottom: float) -> tuple[int, list[Tick]]:
    step = nice_step(top)
    scale_top = max(step, step * ceil(top / step))
    count = scale_top // step
    ticks = [Tick(bottom - plot * i / count, str(i * step)) for i in range(count + 1)]
    return scale_top, ticks


def trend(
    months: list[str], values: dict[str, list[int]], series: list[Series], titles: list[str]
) -> Chart:
    """Grouped vertical bars: one group per month (label `months[i]`), one bar per series
    (values[series.name][i]). `titles[i]` names the month in the bars' tooltips."""
    chart = Chart(TREND_WIDTH, TREND_HEIGHT, plot_right=TREND_WIDTH - 8)
    bottom = TREND_HEIGHT - BOTTOM
    plot = bottom - TOP
    top = max([v for s in series for v in values[s.name]] + [1])
    scale, chart.ticks = _ticks(top, plot, bottom)
    chart.baseline = bottom
    slot = (chart.plot_right - LEFT) / max(1, len(months))
    width = slot * 0.8 / len(series)
    for i, month in enumerate(months):
        x0 = LEFT + slot * i + slot * 0.1
        chart.labels.append((LEFT + slot * (i + 0.5), TREND_HEIGHT - 10, month, titles[i]))
        for j, one in enumerate(series):
            value = values[one.name][i]
            height = plot * value / scale
            title = f"{titles[i]} · {one.label}: {value}"
            chart.bars.append(
                Bar(x0 + j * width, bottom - height, width - 1, height, value, one, title)
            )
    return chart


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Ranked:
    label: str
    parts: list[tuple[Series, int, str]]  # series, value, link

    @property
    def total(self) -> int:
        return sum(value for _, value, _ in self.parts)


def ranking(items: list[Ranked]) -> Chart:
    """Horizontal stacked bars, one row per item, longest first as given; the label on the
    left, the total at the end of the bar."""
    height = max(1, len(items)) * RANK_ROW + 8
    chart = Chart(RANK_WIDTH, height, plot_left=RANK_LABEL, plot_right=RANK_WIDTH - 48)
    top = max([item.total for item in items] + [1])
    span = chart.plot_right - chart.plot_left
    for i, item in enumerate(items):
        y = 4 + i * RANK_ROW
        chart.labels.append((RANK_LABEL - 8, y + RANK_ROW * 0.62, shorten(item.label), item.label))
        x = chart.plot_left
        for series, value, href in item.parts:
            width = span * value / top
            title = f"{item.label} · {series.label}: {value}"
            chart.bars.append(Bar(x, y + 3, width, RANK_ROW - 8, value, series, title, href))
            x += width
        chart.values.append((x + 6, y + RANK_ROW * 0.62, str(item.total)))
    return chart


@dataclass(frozen=True)
class Share:
    series: Series
    value: int
    percent: float
    x: float
    width: float


def shares(parts: list[tuple[Series, int]], width: int = 600) -> list[Share]:
    """One 100 % bar cut into `parts` (percent with one decimal)."""
    whole = sum(value for _, value in parts)
    out, x = [], 0.0
    for series, value in parts:
        fraction = value / whole if whole else 0.0
        out.append(Share(series, value, round(100 * fraction, 1), x, width * fraction))
        x += width * fraction
    return out
