"""Finance's period close: what each agreement earned, paid and owes (late interest included),
the journal entries and the reconciliation, exported as CSV, XLSX or JSON.

Modules: ``choices`` (which table, which kind of file), ``export`` (the request, the agreements'
accruals in report order, the tables' rows), ``lines`` (the tables line by line), ``files``
(writing them to files, all or nothing), ``workbook`` (the XLSX one).
"""
