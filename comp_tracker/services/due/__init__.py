"""The scheduled job: which installments need attention (upcoming, in their payment window,
overdue), the alerts it records, and the e-mail it sends.

Modules: ``job`` (the due report), ``alerts`` (flagged, notified, acknowledged), ``notify``
(the e-mail).
"""
