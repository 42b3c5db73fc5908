"""copydesk: a terminal reader for scraped news articles."""

__version__ = "0.1.0"
