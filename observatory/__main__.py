"""``python -m observatory`` runs the command line."""

import sys

from observatory.cli import main

sys.exit(main())
