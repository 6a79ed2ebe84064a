"""Moodle interoperability: banks out as GIFT or Moodle XML, GIFT and Aiken in as draft banks.

Pure domain: the Arabic words that go around feedback come in as a `Wording` from the caller.
"""
