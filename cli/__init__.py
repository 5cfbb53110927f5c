"""The `tiket` command line."""
