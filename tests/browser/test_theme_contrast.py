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

from tests.colour import contrast, over, parse_colour

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
            problems.append(
                f"{fg_token} on {bg_token}: {error!r} is not declared on {THEME_SELECTOR} as a colour"
            )
            continue
        ratio = contrast(fg, bg)
        if ratio < minimum:
            failures.append(
                f"{fg_token} ({fg_value}) on {bg_token} ({bg_value}): {ratio:.2f}:1, needs {minimum}:1"
            )
    assert not problems and not failures, "\n".join(problems + failures)
