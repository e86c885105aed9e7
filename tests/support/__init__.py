"""What the tests share: factories, API clients, roles, processes and database helpers.

Tests import from here, never from one another.
"""
