"""Public pages of the official releases: no login, releases only."""
