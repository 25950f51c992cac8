"""The one error a register client raises: the register could not give a usable answer."""

from __future__ import annotations


class RegisterUnavailable(Exception):
    """A register failed: transport error, timeout, an unexpected status, or an answer of the
    wrong shape or about the wrong person. Carries only the register's label, never a CPR."""

    def __init__(self, register: str) -> None:
        super().__init__(f"register {register!r} is unavailable")
        self.register = register
