"""The Qt layer: the application shell (start-up, main window, settings) and, in
subpackages, the feature areas. Widgets call services; they never touch the store."""

# SQLAlchemy before Qt: PySide6 installs an import hook that slows down every module
# imported after it (about 0.1 s of start-up for SQLAlchemy's few hundred modules).
import sqlalchemy.orm  # noqa: F401

from lawsup_desktop.ui import pyside_import_hook

# Then Qt, with a cheaper source search for that hook (see the module).
pyside_import_hook.install()
