"""What happens to agreements: payments, amendments, terminations, changes in control and voids,
each planned by the domain's planner and then committed, previewed, or played as a what-if.

Modules: ``planning`` (the records as the planner reads them; a plan committed), ``recording``
(``plan_*`` and ``record_*`` for every change), ``choices`` (what the forms offer), ``preview``
(the forms' previews), ``whatif`` (a sequence of changes compared with the records, and the clone
preview).
"""
