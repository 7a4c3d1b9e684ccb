"""Wheel build hook: the app's top-level folders go into the wheel, inside the package.

``templates/``, ``static/`` and ``migrations/`` stay at the top of the checkout; a wheel carries
them as ``intake/_templates``, ``intake/_static`` and ``intake/_migrations`` (where
``intake.config.folder`` looks first). ``static/vendor/`` and the ``.mo`` catalogues are built
(``make assets translations``) and git-ignored: a wheel without them would serve pages without
their styles or their Spanish, so the build refuses. An editable install gets no copies: it
uses the checkout's folders in place.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FOLDERS = {
    "templates": "intake/_templates",
    "static": "intake/_static",
    "migrations": "intake/_migrations",
}
BUILT = {
    "static/vendor/uswds/css": "make assets",
    "intake/translations/es/LC_MESSAGES/messages.mo": "make translations",
}


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        missing = [
            f"{path} (run `{command}`)"
            for path, command in BUILT.items()
            if not (root / path).exists()
        ]
        if missing:
            raise RuntimeError("intake: cannot build the wheel without " + ", ".join(missing))
        for source, target in FOLDERS.items():
            build_data["force_include"][str(root / source)] = target
