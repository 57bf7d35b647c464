"""The planning API: case counts (cases.py), plans and their loads (plans.py)."""
