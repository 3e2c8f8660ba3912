"""Demo data for `make run` (manage.py seed_demo): one module per step, each with seed()."""

DEMO_PASSWORD = "liaison-demo-2026"
