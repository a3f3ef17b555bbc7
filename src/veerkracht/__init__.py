"""Veerkracht: a platform for neighbourhood social work."""
