"""Files shipped inside the package: the font, stylesheet, icons and translations.

The top-level ``resources/`` folder is installed as ``lawsup_desktop.resources``
(see pyproject.toml); an editable install maps it back to the source tree.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The path of a bundled file, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``."""
    # The package is installed as plain files (never zipped), so a Traversable
    # is a real directory here; Qt needs file system paths.
    return Path(str(resources.files("lawsup_desktop.resources"))).joinpath(*parts)
