"""Demo data for trying the product: a practice with staff, clients and months of history."""
