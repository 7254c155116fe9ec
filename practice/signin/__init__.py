"""Signing in: the sign-in form, two-factor setup and checks, idle sign-out, the time zone."""
