"""The test suite: fixtures in ``conftest.py``, builders in ``factories.py``, browsers in ``browser/``."""
