"""The map of the Netherlands with the gemeenten: the outline made at build time
(places/outline.py, `make install`) and a marker per gemeente at its coordinates (facts of the
vocabulary), through the same projection, drawn as SVG by places/includes/gemeenten_map.html.

Labels go where they overlap no other label or marker: the Randstad's nine gemeenten lie within
a few centimetres of each other on a phone."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from places.outline import Projection

OUTLINE_FILE = Path(settings.BASE_DIR) / "build" / "netherlands-outline.json"

DOT_RADIUS = 3.5
FONT_SIZE = 12.5  # viewBox units, as places/includes/gemeenten_map.html and map.css draw them
CHAR_WIDTH = 0.56 * FONT_SIZE  # a generous average for a sans-serif face
GAP = 2.5  # between a dot and its label


@lru_cache(maxsize=1)
def outline() -> dict | None:
    """The outline file `make install` writes, read once per process; None when it has not
    run (the system check places.W001 says so)."""
    try:
        return json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


@dataclass
class Marker:
    name: str
    slug: str
    url: str
    x: float
    y: float
    label_x: float = 0.0
    label_y: float = 0.0  # the baseline
    anchor: str = "start"  # SVG text-anchor


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlap(self, other: "Box") -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return max(width, 0) * max(height, 0)


def _label_box(marker: Marker, anchor: str, x: float, baseline: float) -> Box:
    width = len(marker.name) * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, baseline - FONT_SIZE * 0.8, left + width, baseline + FONT_SIZE * 0.25)


def _candidates(marker: Marker):
    """(anchor, x, baseline) of the places a label may go, nearest and most readable first."""
    x, y, r, middle = marker.x, marker.y, DOT_RADIUS + GAP, FONT_SIZE * 0.35
    for dy in (0, -FONT_SIZE * 0.6, FONT_SIZE * 0.6):
        yield "start", x + r, y + middle + dy
        yield "end", x - r, y + middle + dy
    yield "middle", x, y - r
    yield "middle", x, y + r + FONT_SIZE * 0.8
    for dy in (-FONT_SIZE, FONT_SIZE * 1.4):
        yield "start", x + r, y + dy
        yield "end", x - r, y + dy


def place_labels(markers: list[Marker], width: float, height: float) -> None:
    """Set each marker's label position: the first candidate that overlaps nothing placed
    before and stays inside the map, else the one that overlaps least. Markers with the most
    neighbours go first, so the crowded ones get the best places; the order is fixed by name,
    so the same data always gives the same map."""
    dots = [
        Box(m.x - DOT_RADIUS, m.y - DOT_RADIUS, m.x + DOT_RADIUS, m.y + DOT_RADIUS) for m in markers
    ]

    def neighbours(marker):
        return sum(1 for m in markers if abs(m.x - marker.x) < 40 and abs(m.y - marker.y) < 25)

    placed: list[Box] = []
    for marker in sorted(markers, key=lambda m: (-neighbours(m), m.name)):
        best, best_cost = None, None
        for anchor, x, baseline in _candidates(marker):
            box = _label_box(marker, anchor, x, baseline)
            outside = box.left < 0 or box.top < 0 or box.right > width or box.bottom > height
            cost = sum(box.overlap(other) for other in placed + dots) + (1e6 if outside else 0)
            if best_cost is None or cost < best_cost:
                best, best_cost = (anchor, x, baseline, box), cost
            if cost == 0:
                break
        anchor, x, baseline, box = best
        marker.anchor, marker.label_x, marker.label_y = anchor, round(x, 1), round(baseline, 1)
        placed.append(box)


def gemeenten_map(municipalities, url_of) -> dict | None:
    """What places/includes/gemeenten_map.html draws: the outline and a marker with its name
    for every gemeente that has coordinates, linking to `url_of(municipality)`. None without
    the outline: the page then goes without its map (its list of gemeenten stays)."""
    shape = outline()
    if shape is None:
        return None
    projection = Projection(**shape["projection"])
    markers = []
    for municipality in municipalities:
        if municipality.latitude is None or municipality.longitude is None:
            continue
        x, y = projection.point(float(municipality.longitude), float(municipality.latitude))
        markers.append(
            Marker(
                municipality.name,
                municipality.slug,
                url_of(municipality),
                round(x, 1),
                round(y, 1),
            )
        )
    place_labels(markers, shape["width"], shape["height"])
    return {
        "width": shape["width"],
        "height": shape["height"],
        "path": shape["path"],
        "source": shape["source"],
        "markers": sorted(markers, key=lambda m: m.name),
        "dot_radius": DOT_RADIUS,
        "font_size": FONT_SIZE,
    }
