"""Cross-referencing: find the records of different holders that describe the same case,
defender or incident, propose them as SAME_AS, and let people confirm or reject them.

records.py reads what is compared, blocking.py picks the pairs, compare.py scores them
(weights in matching.yaml), workflow.py runs it all and writes proposals. Who may learn of a
match is decided in the Cypher of crossReferences (docs/cross-referencing.md).
"""
