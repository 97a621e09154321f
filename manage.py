#!/usr/bin/env python3
"""Django's manage.py; the ``dialogos`` console script does the same."""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
    from dialogos.cli import main

    main(sys.argv)
