"""GraphiQL served by Tejido itself: its React and GraphiQL builds ship in `static/vendor/`
(pinned in tools/graphiql, copied by `make vendor`), so the page asks nothing of any other
origin, and its CSP says so. The example operations in graphql/operations/ open as tabs."""
