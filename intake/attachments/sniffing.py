"""Decide a file's type from its bytes; the name and the browser's claim are ignored."""

import unicodedata

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def detect_type(data: bytes) -> str | None:
    """The allowed MIME type these bytes are, or None when they are none of them."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if _is_plain_text(data):
        return "text/plain"
    return None


def _is_plain_text(data: bytes) -> bool:
    if not data:
        return False
    sample = data[:65536]
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(sample) - 4:
            return False
        text = sample[: exc.start].decode("utf-8")
    allowed_controls = {"\n", "\r", "\t", "\f"}
    return not any(unicodedata.category(ch) == "Cc" and ch not in allowed_controls for ch in text)


# The endings a stored file's name may have for its type; any other gets the first appended.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "text/plain": (".txt",),
}


def name_for_type(name: str, content_type: str) -> str:
    """The name ending as its type does: "page.html" holding text is "page.html.txt", so a
    downloaded copy never opens as a web page (or a script) on the reader's computer."""
    endings = EXTENSIONS[content_type]
    if name.lower().endswith(endings):
        return name
    return name[: 200 - len(endings[0])] + endings[0]


def safe_filename(name: str | None) -> str:
    """A display name with no path, control characters or excessive length."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or "document"
