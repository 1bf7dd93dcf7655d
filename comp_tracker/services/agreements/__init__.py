"""Agreements: creating them (from terms, agreement files and as clones), and reading them back
(a schedule, the list with each one's standing, the detail screen, history, the palette's search).

Modules: ``importing`` (import, create, clone, export), ``reading`` (show, list, history),
``detail`` (the agreement screen's data and the void preview), ``search``.
"""
