"""``python -m randsample``: the command line, for machines where the script is not on PATH."""

import sys

from randsample.cli import main

sys.exit(main())
