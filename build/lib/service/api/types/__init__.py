"""GraphQL types, one module per group: records (the Node interface and one type per label),
links, pagination, and the types of analytics, cross-referencing, embeds, inputs and results."""
