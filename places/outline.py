"""The outline of the Netherlands for the map of the gemeenten, made once at build time from
the Natural Earth outline that the npm package world-atlas ships as TopoJSON, and the
projection that the outline and the gemeenten's markers (places/map.py) both go through.

`make install` runs it after `npm ci`:

    python places/outline.py node_modules/world-atlas/countries-10m.json build/netherlands-outline.json

It writes the outline as one SVG path, already projected, with the projection's parameters;
the site reads that small file and never the 3.6 MB TopoJSON. Plain Python without Django, so
the build needs nothing but the interpreter.
"""

import json
import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

NETHERLANDS = "528"  # world-atlas's id of a country: its ISO 3166-1 numeric code
# Natural Earth's Netherlands includes Bonaire, Sint Eustatius and Saba: keep the European part.
EUROPE = {"west": 3.0, "south": 50.5, "east": 7.5, "north": 54.0}
WIDTH = 320  # of the SVG's viewBox; its height follows from the outline's shape
MARGIN = 8
# Points closer than this (in viewBox units) to the last point kept add nothing visible.
MIN_STEP = 0.5
# Islands smaller than this many square units (a few hundred metres across) are left out.
MIN_AREA = 1.0


@dataclass(frozen=True)
class Projection:
    """Equirectangular around the country's middle latitude: a degree of longitude is
    cos(latitude) of a degree of latitude there, so the Netherlands keeps its shape (off by
    under 3% at its northern and southern ends). North is up."""

    west: float
    north: float
    units_per_degree: float  # of latitude
    x_stretch: float  # cos(middle latitude)
    margin: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.margin + (lon - self.west) * self.x_stretch * self.units_per_degree
        y = self.margin + (self.north - lat) * self.units_per_degree
        return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology in degrees: each arc's positions are
    deltas from the previous one, in steps of `transform.scale` from `transform.translate`."""
    (scale_x, scale_y), (left, bottom) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((left + x * scale_x, bottom + y * scale_y))
        arcs.append(points)
    return arcs


def rings(topology: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    """Every ring of a Polygon or MultiPolygon geometry, as positions in degrees. An arc
    index ~i means arc i reversed; consecutive arcs share their joining position."""
    arcs = decode_arcs(topology)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    found = []
    for polygon in polygons:
        for arc_indexes in polygon:
            ring: list[tuple[float, float]] = []
            for index in arc_indexes:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                ring.extend(arc[1:] if ring else arc)
            found.append(ring)
    return found


def _in_europe(ring) -> bool:
    lon, lat = ring[0]
    return EUROPE["west"] <= lon <= EUROPE["east"] and EUROPE["south"] <= lat <= EUROPE["north"]


def _area(points) -> float:
    """The shoelace formula."""
    following = points[1:] + points[:1]
    twice = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, following, strict=True))
    return abs(twice) / 2


def _thinned(points):
    kept = [points[0]]
    for x, y in points[1:]:
        if math.dist(kept[-1], (x, y)) >= MIN_STEP:
            kept.append((x, y))
    return kept


def build(topology: dict, source: str) -> dict:
    """{"source", "width", "height", "projection", "path"} for the Netherlands in `topology`."""
    geometry = next(
        g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == NETHERLANDS
    )
    outline = [ring for ring in rings(topology, geometry) if _in_europe(ring)]
    lons = [lon for ring in outline for lon, _ in ring]
    lats = [lat for ring in outline for _, lat in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    x_stretch = math.cos(math.radians((north + south) / 2))
    units_per_degree = (WIDTH - 2 * MARGIN) / ((east - west) * x_stretch)
    projection = Projection(west, north, units_per_degree, x_stretch, MARGIN)
    height = round(2 * MARGIN + (north - south) * units_per_degree)

    parts = []
    for ring in outline:
        points = _thinned([projection.point(lon, lat) for lon, lat in ring])
        if len(points) < 3 or _area(points) < MIN_AREA:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return {
        "source": source,
        "width": WIDTH,
        "height": height,
        "projection": asdict(projection),
        "path": "".join(parts),
    }


def main(source_file: str, out_file: str) -> None:
    source_path = Path(source_file)
    package = json.loads((source_path.parent / "package.json").read_text(encoding="utf-8"))
    source = (
        f"{package['name']} {package['version']}, {source_path.name} (Natural Earth, public domain)"
    )
    result = build(json.loads(source_path.read_text(encoding="utf-8")), source)
    out = Path(out_file)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result), encoding="utf-8")
    print(f"wrote {out} ({len(result['path']) // 1024} KB of outline, {source})")


if __name__ == "__main__":
    main(*sys.argv[1:])
