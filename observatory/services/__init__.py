"""Use cases that combine rooms: imports, the demo city, the views pages show."""
