"""The Qt layer: the application shell (start-up, main window, settings) and, in
subpackages, the feature areas. Widgets call services; they never touch the store."""
