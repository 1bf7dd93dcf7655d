"""The terminal UI's lists: every agreement's names and figures on a day, filtered and sorted
at scale (``table``), employees and companies with their agreements' standing (``people``), and
the home screen's counts (``overview``).
"""
