"""Finance's period close: what each agreement earned, paid and owes (late interest included),
the journal entries and the reconciliation, exported as CSV, XLSX or JSON.

Modules: ``export`` (the request, the agreements' accruals in report order, the tables' rows),
``files`` (writing them to files, all or nothing), ``workbook`` (the XLSX one).
"""
