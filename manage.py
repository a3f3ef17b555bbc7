#!/usr/bin/env python
"""Django's command-line utility; the same as the ``veerkracht`` console script."""

from veerkracht.cli import main

if __name__ == "__main__":
    main()
