"""intake: civil-rights complaint intake and oversight.

The app is built by ``intake.factory.create_app``. This file imports nothing, so a process that
needs one module (the PDF render worker runs ``python -m intake.documents.pdf``) does not load
the whole app.
"""
