"""The reader-facing site under /facts/: published claims only, no login, cacheable."""
