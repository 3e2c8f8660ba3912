"""Loaded before Django (pyproject addopts: -p tests.env): the suite runs with DEBUG on, as
`make test` asks, whoever starts pytest. Settings default to DEBUG off (fail closed)."""

import os

os.environ.setdefault("DEBUG", "true")
