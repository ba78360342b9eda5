"""Table 2 figures of the synthetic province (``ProactiveFigures``: licensing, service, penalty, enforcement and
fee items and decisions, centralised procurement), for every body and year from 2019 (the first report format
with Table 2) in which it existed. Each body's profile comes from the demo's builder (departments hold most
powers), scaled by the body's Zipf weight; item counts drift from year to year, mostly down (powers devolved
or cancelled), so 本年增/减 is sometimes negative as in real reports."""

from __future__ import annotations

from gongkai.catalog.models import ProactiveFigures
from gongkai.demo.catalog_recent import _profile, _year_figures
from gongkai.synth import records

FIRST_YEAR = 2019  # Table 2 of the 2019 trial format


def proactive_figures(s: records.Synth) -> int:
    """Write the figures (one batch and audit entry per ``s.batch`` rows); returns the number of rows."""
    top = max(b.weight for b in s.bodies)
    rows: list[ProactiveFigures] = []
    for b in s.bodies:
        weight = max(2, round(60 * (b.weight / top) ** 0.3))
        items = _profile(s.rng, b.org, weight)
        for year in range(max(FIRST_YEAR, s.years[0]), s.years[1] + 1):
            items = {k: max(0, v + s.rng.randint(-3, 2)) for k, v in items.items()}
            if b.start.year <= year <= b.end.year:
                rows.append(_year_figures(s.rng, b.org, year, items))
    for start in range(0, len(rows), s.batch):
        records.write(
            ProactiveFigures,
            rows[start : start + s.batch],
            "catalog.proactivefigures",
            "合成数据：主动公开年度数据（表二）",
        )
    return len(rows)
