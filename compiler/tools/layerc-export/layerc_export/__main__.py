"""`python3 -m layerc_export ...`: the command line, as `layerc-export ...`."""
import sys

from .cli import main

sys.exit(main())
