"""``python -m explain`` is the ``plainsight`` CLI."""

import sys

from explain.cli import main

sys.exit(main())
