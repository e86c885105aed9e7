"""National-scale synthetic data (``manage.py generate_scale_data``), for benchmarks."""
