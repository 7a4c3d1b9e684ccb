"""The complaint's fixed vocabularies: codes stored in the database, labels shown to people.

Codes never change once data uses them; labels are translated. Each vocabulary is an
ordered mapping so forms, review pages and CHECK constraints share one source.
"""

from flask_babel import lazy_gettext as _l

LANGUAGES = {"en": _l("English"), "es": _l("Spanish")}

FILER_RELATIONSHIPS = {
    "self": _l("I am filing for myself"),
    "relative": _l("A relative or friend"),
    "attorney": _l("An attorney or accredited representative"),
    "organization": _l("An organization"),
    "other": _l("Someone else"),
}

CONTACT_METHODS = {
    "email": _l("Email"),
    "phone": _l("Phone"),
    "mail": _l("Mail"),
    "none": _l("Do not contact me"),
}

CHANNELS = {
    "web": _l("Web form"),
    "mail": _l("Mail"),
    "email": _l("Email"),
    "fax": _l("Fax"),
    "phone": _l("Phone"),
}

CUSTODY_ANSWERS = {"yes": _l("Yes"), "no": _l("No"), "unknown": _l("Not sure")}

PLACE_KINDS = {
    "street_stop": _l("Street or traffic stop"),
    "jail": _l("Jail or booking"),
    "detention": _l("Immigration detention facility"),
    "port_of_entry": _l("Port of entry or checkpoint"),
    "courthouse": _l("Courthouse"),
    "home": _l("Home"),
    "other": _l("Other place"),
}

AGENCIES = {
    "ice": _l("Immigration and Customs Enforcement (ICE)"),
    "cbp": _l("Customs and Border Protection (CBP), including Border Patrol"),
    "uscis": _l("U.S. Citizenship and Immigration Services (USCIS)"),
    "tsa": _l("Transportation Security Administration (TSA)"),
    "other_dhs": _l("Another part of the Department of Homeland Security"),
    "local_police": _l("Local or state police, sheriff or jail"),
    "not_sure": _l("Not sure"),
}

PROGRAM_CONTEXTS = {
    "jail_screening": _l("Fingerprints taken at a jail were shared with immigration authorities"),
    "detainer": _l("An immigration detainer (a hold request)"),
    "287g": _l("A 287(g) agreement (local officers acting as immigration officers)"),
    "stop": _l("A traffic or street stop"),
    "other": _l("Something else"),
    "not_sure": _l("Not sure"),
}

# Grouped as the form shows them; the flat ALLEGATIONS mapping is what the database checks.
ALLEGATION_GROUPS = [
    (
        _l("Profiling and discrimination"),
        {
            "racial_profiling": _l("Racial or ethnic profiling"),
            "discrimination_national_origin": _l("Discrimination because of national origin"),
            "discrimination_religion": _l("Discrimination because of religion"),
            "discrimination_sex": _l("Discrimination because of sex"),
            "discrimination_sogi": _l(
                "Discrimination because of sexual orientation or gender identity"
            ),
            "discrimination_disability": _l("Discrimination because of disability"),
            "language_access": _l("No interpreter or translation (language access)"),
        },
    ),
    (
        _l("Due process"),
        {
            "due_process_notice": _l("Not told the charges or reasons"),
            "due_process_counsel": _l("Not allowed to contact a lawyer"),
            "due_process_overdetention": _l("Held past the release date"),
            "due_process_coerced_signature": _l("Pressured or forced to sign documents"),
            "due_process_hearing": _l("No hearing before a judge"),
        },
    ),
    (
        _l("Conditions of detention"),
        {
            "detention_medical": _l("Denied medical care"),
            "detention_force": _l("Use of force"),
            "detention_abuse": _l("Abuse or mistreatment"),
            "detention_sexual_abuse": _l("Sexual abuse or assault"),
        },
    ),
    (
        _l("Other"),
        {
            "retaliation": _l("Retaliation for complaining or speaking out"),
            "privacy": _l("Privacy violation"),
            "other": _l("Something else"),
        },
    ),
]
ALLEGATIONS = {code: label for _, group in ALLEGATION_GROUPS for code, label in group.items()}

PRIOR_COMPLAINT_BODIES = {
    "inspector_general": _l("An Office of Inspector General"),
    "court": _l("A court"),
    "other_agency": _l("Another agency or office"),
}

ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "text/plain": _l("Plain text"),
}


CLOSURE_REASONS = {
    "recommendations_resolved": _l("Recommendations resolved"),
    "no_violation": _l("No violation found"),
    "investigated_by_oig": _l("Investigated by the Inspector General"),
    "referred_elsewhere": _l("Referred to another agency"),
    "no_jurisdiction": _l("Outside our jurisdiction"),
    "insufficient_information": _l("Not enough information to continue"),
    "duplicate": _l("Duplicate of another complaint"),
    "withdrawn": _l("Withdrawn by the complainant"),
}

FINDINGS = {
    "substantiated": _l("Substantiated"),
    "not_substantiated": _l("Not substantiated"),
    "unfounded": _l("Unfounded"),
    "unable_to_determine": _l("Unable to determine"),
    "no_jurisdiction": _l("No jurisdiction"),
}

AGENCY_RESPONSES = {
    "concur": _l("Concur"),
    "partially_concur": _l("Partially concur"),
    "non_concur": _l("Non-concur"),
}


def check_in(column: str, vocabulary) -> str:
    """SQL for a CHECK constraint limiting ``column`` to the vocabulary's codes."""
    codes = ", ".join(f"'{code}'" for code in vocabulary)
    return f"{column} IN ({codes})"
