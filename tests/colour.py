"""WCAG 2.1 colour contrast, for the tests that check the theme tokens and the charts."""

import re

NAMED = {"white": (255, 255, 255, 1.0), "black": (0, 0, 0, 1.0), "transparent": (0, 0, 0, 0.0)}


def parse_colour(value: str) -> tuple[float, float, float, float]:
    value = value.strip().lower()
    if value in NAMED:
        return NAMED[value]
    hex_match = re.fullmatch(r"#([0-9a-f]{3,8})", value)
    if hex_match:
        digits = hex_match[1]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) not in (6, 8):
            raise ValueError(value)
        r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        a = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return r, g, b, a
    rgb = re.fullmatch(
        r"rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)", value
    )
    if rgb:
        alpha = rgb[4]
        a = (
            1.0
            if alpha is None
            else (float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha))
        )
        return float(rgb[1]), float(rgb[2]), float(rgb[3]), a
    raise ValueError(f"not a colour this test understands: {value!r}")


def over(top, bottom):
    """`top` laid over the opaque `bottom`."""
    a = top[3]
    return tuple(top[i] * a + bottom[i] * (1 - a) for i in range(3)) + (1.0,)


def luminance(colour) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg) -> float:
    lighter, darker = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
