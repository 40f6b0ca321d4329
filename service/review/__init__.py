"""The cross-reference review page for analysts (docs/cross-referencing.md)."""
