"""The ticket domain: rules, lifecycle, SLA math and permissions (standard library only)."""
