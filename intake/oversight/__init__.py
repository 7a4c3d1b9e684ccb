"""Oversight: aggregate statistics, program oversight, the periodic report and open data.

Nothing here names a person: oversight analysts hold these permissions without any case role.

Layout: the routes in ``views.py`` (its blueprint is the section's), the forms in ``forms.py``,
and the services the views call: ``statistics`` (one figure a query) and ``combined`` (all of
them at once) with ``dashboard`` (its charts); ``program``, ``program_figures`` and
``jurisdictions`` (the registry's changes); ``report``, ``report_suppression`` and
``report_document``; ``open_data`` (the streamed file), ``months`` (the range of months it
covers) and ``data_dictionary``. ``charts``, ``suppression``, ``csv_safety``, ``filters`` and
``models`` are shared by them. No other package imports this one but the app factory.
"""
