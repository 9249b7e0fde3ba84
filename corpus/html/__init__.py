"""HTML pages: decoding bytes to text and rendering the visible text, one line per block."""
