"""Colour contrast of the theme tokens (static/css/theme.css) against WCAG 2.1 AA, without a
browser: the pairs to check are listed in the file's own comments, one per line,

    contrast: <foreground token> on <background token>
    contrast: <foreground token> on <background token> (3:1)

(optionally each in its own /* ... */). Text pairs need 4.5:1; a pair marked (3:1) is a
border, focus ring or other non-text element that needs 3:1 (WCAG 1.4.11). Token values are
taken from the `.kennisloket-theme` rules and may be hex, rgb()/rgba() or var() of another
token; a colour with transparency is laid over its background first."""

import re
from pathlib import Path

import pytest

THEME_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "theme.css"
THEME_SELECTOR = ".kennisloket-theme"
TEXT_MINIMUM = 4.5

PAIR = re.compile(
    r"contrast:\s*(?P<fg>--[\w-]+)\s+on\s+(?P<bg>--[\w-]+)(?:\s*\(\s*(?P<ratio>\d+(?:\.\d+)?)\s*:\s*1\s*\))?"
)
COMMENT = re.compile(r"/\*.*?\*/", re.S)
RULE = re.compile(r"(?P<selector>[^{}]+)\{(?P<body>[^{}]*)\}")
DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")


def _css() -> str:
    if not THEME_CSS.exists():
        pytest.fail(f"{THEME_CSS} is missing: the theme tokens are the contract of this test")
    return THEME_CSS.read_text()


def declared_pairs(css: str) -> list[tuple[str, str, float]]:
    pairs = []
    for comment in COMMENT.findall(css):
        for match in PAIR.finditer(comment):
            ratio = float(match["ratio"]) if match["ratio"] else TEXT_MINIMUM
            pairs.append((match["fg"], match["bg"], ratio))
    return pairs


def theme_tokens(css: str) -> dict[str, str]:
    """Custom properties of the rules whose selector list includes .kennisloket-theme (the
    last declaration wins, as in the cascade). Rules inside @media blocks are nested and so
    not matched by RULE's flat pattern: the default (screen) theme is what is checked."""
    without_comments = COMMENT.sub("", css)
    # Drop @media/@supports blocks (one level of nesting) so that print or dark variants do
    # not override the screen values.
    flat = re.sub(r"@[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", without_comments)
    tokens: dict[str, str] = {}
    for rule in RULE.finditer(flat):
        selectors = [s.strip() for s in rule["selector"].split(",")]
        if THEME_SELECTOR in selectors or ":root" in selectors:
            for name, value in DECLARATION.findall(rule["body"]):
                tokens[name] = value.strip()
    return tokens


def resolve(token: str, tokens: dict[str, str], seen=()) -> str:
    if token in seen:
        raise ValueError(f"{token} refers to itself through {' → '.join(seen)}")
    if token not in tokens:
        raise KeyError(token)
    value = tokens[token]
    var = re.fullmatch(r"var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)", value)
    if var:
        try:
            return resolve(var[1], tokens, (*seen, token))
        except KeyError:
            if var[2]:
                return var[2].strip()
            raise
    return value


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
        r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
        a = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return r, g, b, a
    rgb = re.fullmatch(r"rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)", value)
    if rgb:
        alpha = rgb[4]
        a = 1.0 if alpha is None else (float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha))
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


def test_the_contrast_formula_matches_wcag():
    assert round(contrast(parse_colour("#000"), parse_colour("#fff")), 2) == 21.0
    assert round(contrast(parse_colour("#767676"), parse_colour("#ffffff")), 2) == 4.54
    assert contrast(parse_colour("#fff"), parse_colour("#fff")) == 1.0


def test_theme_css_lists_the_pairs_to_check():
    pairs = declared_pairs(_css())
    assert len(pairs) >= 5, (
        "static/css/theme.css should list its text/background token pairs as "
        "`contrast: <fg-token> on <bg-token>` lines in a comment"
    )


def test_every_declared_token_pair_meets_wcag_aa():
    css = _css()
    tokens = theme_tokens(css)
    white = (255, 255, 255, 1.0)
    failures, problems = [], []
    for fg_token, bg_token, minimum in declared_pairs(css):
        try:
            fg_value, bg_value = resolve(fg_token, tokens), resolve(bg_token, tokens)
            bg = over(parse_colour(bg_value), white)
            fg = over(parse_colour(fg_value), bg)
        except (KeyError, ValueError) as error:
            problems.append(f"{fg_token} on {bg_token}: {error!r} is not declared on {THEME_SELECTOR} as a colour")
            continue
        ratio = contrast(fg, bg)
        if ratio < minimum:
            failures.append(f"{fg_token} ({fg_value}) on {bg_token} ({bg_value}): {ratio:.2f}:1, needs {minimum}:1")
    assert not problems and not failures, "\n".join(problems + failures)
