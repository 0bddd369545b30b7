"""What every server-rendered SVG chart of the site shares: its colours (WCAG 2.1: every
colour at least 3:1 against the white page, text 17.4:1) and its type size. The charts
themselves are in places/charts.py (experiments per gemeente and theme) and
programme/charts.py (the monitor's indicator lines)."""

PALETTE = [
    "#154273",  # dark blue (rijksblauw)  10.2:1
    "#C4571A",  # orange                   4.4:1
    "#028C7D",  # teal                     4.2:1
    "#A63C99",  # magenta                  5.6:1
    "#0984F0",  # bright blue              3.8:1
    "#5C2416",  # dark brown              12.2:1
    "#4A4A4A",  # grey (a seventh series)  8.9:1
    "#6B6B00",  # olive (an eighth)        5.9:1
]
TEXT_COLOUR = "#1a1a1a"  # 17.4:1 against white
AXIS_COLOUR = "#1a1a1a"
GRID_COLOUR = "#b1b4b6"  # decorative: the tick labels carry the scale

FONT_SIZE = 14
