#!/usr/bin/env python
from accord.cli import main

if __name__ == "__main__":
    main()
