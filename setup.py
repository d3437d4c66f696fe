"""Only the package list; every other setting is in pyproject.toml.

pyproject.toml can either discover packages or list them, and its discovery
cannot see the top-level db/ and resources/ folders that
[tool.setuptools.package-dir] maps into lawsup_desktop. A fixed list would
silently leave each new subpackage (a new lawsup_desktop/ui/<area>/, say) out of
the wheel, so the list is computed here. The data folders inside db/ and
resources/ (versions/, fonts/, translations/, ...) are listed as namespace
packages, as setuptools wants for folders of package data.
"""

from setuptools import find_namespace_packages, find_packages, setup


def mapped(package: str, folder: str) -> list[str]:
    subfolders = find_namespace_packages(where=folder, exclude=["*__pycache__*"])
    return [package, *(f"{package}.{name}" for name in subfolders)]


setup(
    packages=[
        *find_packages(
            include=["lawsup_desktop", "lawsup_desktop.*", "lawsup_central", "lawsup_central.*"]
        ),
        *mapped("lawsup_desktop.db", "db"),
        *mapped("lawsup_desktop.resources", "resources"),
    ]
)
