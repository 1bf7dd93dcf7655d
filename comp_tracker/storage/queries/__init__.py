"""Named queries, one module per capability of the services (due, alerts, accruals, browse,
history, search, companies). Each function takes a read connection (or a writer's session) and
returns plain values or rows; no service builds a query of its own.

The agreements themselves, as the engine's values, are read by :mod:`comp_tracker.storage.reads`;
a write's rows go through :mod:`comp_tracker.storage.unit_of_work`.
"""
