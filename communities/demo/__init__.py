"""Tai'an's demo data: fixed facts (``taian``), a seeded generator (``generate``) and the
loader that writes it (``store``), used by ``manage.py load_demo_data``."""
