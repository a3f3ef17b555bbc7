"""Dutch mobile numbers in the international form an SMS gateway expects (the rule lives in core,
so activities, below messaging, sends its online links by the same one)."""

from veerkracht.core.phones import mobile_e164

__all__ = ["mobile_e164"]
