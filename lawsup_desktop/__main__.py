import sys

from lawsup_desktop.cli import main

sys.exit(main())
