"""The load test (``make load``) and the fault test (``make fault``), run against gunicorn.

Not collected by pytest (no ``test_*.py`` here): they need a running server, a large database
and a minute each. Their pure helpers (``tools.py``) are unit-tested in
``tests/renovation/test_load_tools.py``, which is part of ``make test``.
"""
