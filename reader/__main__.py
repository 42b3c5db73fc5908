"""`python -m reader` runs the copydesk command line."""

from reader.cli import main

if __name__ == "__main__":
    main()
