"""Oversight: aggregate statistics, program oversight, the periodic report and open data.

Nothing here names a person: oversight analysts hold these permissions without any case role.
"""
