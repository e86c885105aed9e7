"""Money, written one way everywhere: yuan to the cent, up to 999,999,999,999.99 (a national
programme's budget fits), and the cent that sums and shares round to."""

from decimal import Decimal

# The field arguments of every amount in yuan.
MONEY = {"max_digits": 14, "decimal_places": 2}
CENT = Decimal("0.01")
