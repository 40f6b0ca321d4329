"""Attacks an ordinary key could make, one module per class (a package: names stay apart)."""
