"""Optional model adapters (`pip install tiket[ai]`); nothing here is imported unless triage is on."""
