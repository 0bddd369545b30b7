"""Settings: base.py reads everything from the environment; test.py adds test speed-ups."""
