"""Third-party tables into interchange-format tables, as a YAML mapping declares (docs/mapping.md).

`read_mapping` (check.py) reads a mapping and checks it against the model before any row is
read, so a typo fails at once with its YAML path; `read_table` (table.py) reads the table as
text; `apply_mapping` (convert.py) turns each row into nodes and relationships. The mapping's
shape is in spec.py, its values (templates, value maps, hash codes) in values.py. Validating
and writing the result is the loader's job.
"""

from service.ingest.mapping.check import read_mapping
from service.ingest.mapping.convert import apply_mapping
from service.ingest.mapping.spec import Mapping, TableOptions
from service.ingest.mapping.table import read_table

__all__ = ["Mapping", "TableOptions", "apply_mapping", "read_mapping", "read_table"]
