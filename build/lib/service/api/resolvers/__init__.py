"""The root fields, thin: each reads its arguments, calls the service and returns the types."""
