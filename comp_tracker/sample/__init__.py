"""Sample data, not a service: fictional agreements generated from a seed.

``synthetic.generate`` makes companies, people and agreements shaped like the real ones (pure: the
engine's values out, no database). ``comp-tracker demo --synthetic N`` stores them through
:mod:`comp_tracker.services.demo`, and the benchmarks (tests/benchmarks/) build their large
databases with it. Imports only :mod:`comp_tracker.domain`.
"""
