"""Use cases: every write goes through here, in one transaction, with an audit record."""
