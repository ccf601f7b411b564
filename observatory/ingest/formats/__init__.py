"""Adapters for published formats (SSMSI, police.uk, incident lists, wide tables) → canonical frames."""
