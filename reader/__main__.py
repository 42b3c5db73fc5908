"""`python -m reader` runs the copydesk command line."""

from reader.launch import main

if __name__ == "__main__":
    main()
