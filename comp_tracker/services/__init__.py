"""Use cases: what the CLI and the terminal UI ask of the records. One package per thing a user
does, and the few modules every package shares.

* ``agreements``: create, import, clone, export, show, list, history, search.
* ``events``: record and preview payments, amendments, terminations, changes in control and
  voids; what-if sequences.
* ``due``: the scheduled job's report, its alerts and its e-mail.
* ``accruals``: the period-close export and its files.
* ``browse``: the terminal UI's agreement table, people and home screen.
* ``demo``: the sample agreements and the synthetic data.
* ``context`` (the database, the actor, the clock; the errors), ``writing`` (every write in one
  transaction, retried on a concurrent change), ``words`` (how things are said).

SQL lives in ``comp_tracker.storage``: the services read through its named queries and write
through its unit of work.
"""
