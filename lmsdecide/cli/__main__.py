"""``python -m lmsdecide.cli``: the same as the ``lmsdecide`` command."""

from lmsdecide.cli import main

raise SystemExit(main())
