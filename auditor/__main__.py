"""`python -m auditor` runs the same command as `auditor`."""

from auditor.cli import main

raise SystemExit(main())
