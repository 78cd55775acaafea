"""Signing in, locking, the first administrator and user accounts, in the window."""
