"""Walking the filing steps through the test client, with CSRF, as a browser would post them."""

import re

from tests.conftest import csrf_token

VALID_ANSWERS = {
    "filer": {
        "relationship": "relative",
        "name": "Rosa Canary-Filer",
        "email": "rosa.canary@example.org",
        "phone": "512 555 0142",
        "contact_method": "email",
        "preferred_language": "es",
    },
    "affected": {
        "name": "Miguel Canary-Affected",
        "dob_month": "3",
        "dob_day": "14",
        "dob_year": "1988",
        "a_number": "A 123-456-789",
        "country_of_birth": "MX",
        "in_custody": "yes",
        "facility_name": "Webb County Jail",
        "facility_state": "TX",
        "consent_attested": "y",
    },
    "incident": {
        "incident_month": "6",
        "incident_day": "16",
        "incident_year": "2025",
        "incident_state": "TX",
        "incident_county": "48479",
        "incident_city": "Laredo",
        "place_kind": "jail",
        "agencies": ["ice", "local_police"],
        "local_agency_name": "Webb County Sheriff",
        "program_contexts": ["jail_screening", "detainer"],
    },
    "allegations": {
        "allegations": ["racial_profiling", "due_process_overdetention"],
        "details_racial_profiling": "Only Latino drivers were stopped.",
    },
    "story": {
        "narrative": "He was stopped for a broken tail light and held three days past release.",
        "desired_outcome": "An apology and a policy change.",
    },
    "consent": {"privacy_consent": "yes"},
}

TRACKING_RE = re.compile(r'id="tracking-number">([^<]+)<')
ACCESS_RE = re.compile(r'id="access-code">([^<]+)<')


def post_step(client, step, data, action="next", files=None):
    token = csrf_token(client, f"/file/{step}")
    payload = {**data, "csrf_token": token, "action": action}
    if files:
        payload["documents"] = files
        return client.post(f"/file/{step}", data=payload, content_type="multipart/form-data")
    return client.post(f"/file/{step}", data=payload)


def fill_all_steps(client, overrides=None):
    overrides = overrides or {}
    for step, answers in VALID_ANSWERS.items():
        response = post_step(client, step, {**answers, **overrides.get(step, {})})
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])


def submit(client):
    token = csrf_token(client, "/status/")
    return client.post("/file/submit", data={"csrf_token": token})


def file_complaint(client, overrides=None) -> tuple[str, str]:
    """File a complete complaint; return its tracking number and access code."""
    fill_all_steps(client, overrides)
    response = submit(client)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/file/confirmation"
    ), response.get_data(as_text=True)[:2000]
    page = client.get("/file/confirmation").get_data(as_text=True)
    return TRACKING_RE.search(page).group(1), ACCESS_RE.search(page).group(1)


def error_messages(html: str) -> list[str]:
    """The texts of the messages shown next to fields (screen-reader prefixes removed)."""
    html = re.sub(r'<span class="usa-sr-only">[^<]*</span>', "", html)
    found = re.findall(r'class="usa-error-message"[^>]*>(.*?)</span>', html, re.S)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", chunk).replace("&#39;", "'").split()) for chunk in found
    ]
