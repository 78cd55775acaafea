"""What makes a password acceptable, and how passwords are hashed (argon2id).

The rules follow current guidance (NCSC, NIST SP 800-63B): a long minimum, no
composition rules, and a check against common and guessable passwords, done
with zxcvbn, which knows the common-password lists and penalises the person's
own name and user name. Hashing is argon2-cffi's argon2id with its RFC 9106
parameters unless told otherwise; a stored hash made with other parameters is
rehashed at the next successful sign-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from consult_aid.domain.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 128  # argon2 takes any length; a cap keeps one sign-in from costing minutes
MIN_STRENGTH = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^8 guesses or more)


def check_password(password: str, *, personal: Sequence[str] = ()) -> None:
    """Raise InvalidInput({"password": ...}) unless ``password`` meets the rules.

    ``personal`` holds the person's own words (name, user name), which a
    password must not lean on.
    """
    if len(password) < MIN_LENGTH:
        raise InvalidInput({"password": f"Use at least {MIN_LENGTH} characters."})
    if len(password) > MAX_LENGTH:
        raise InvalidInput({"password": f"Use at most {MAX_LENGTH} characters."})
    if password != password.strip():
        raise InvalidInput({"password": "A password cannot start or end with a space."})
    # Imported here: zxcvbn loads its word lists on import, and only this check needs them.
    from zxcvbn import zxcvbn

    words = [word for part in personal for word in part.lower().split() if word]
    # zxcvbn refuses to score past 72 characters unless told; our own cap is checked above.
    result = zxcvbn(password, user_inputs=words, max_length=MAX_LENGTH)
    if result["score"] < MIN_STRENGTH:
        feedback = result.get("feedback") or {}
        hint = feedback.get("warning") or "It is too easy to guess."
        raise InvalidInput(
            {
                "password": f"{hint.rstrip('.')}. Try a few unrelated words together "
                "(it is the length that counts)."
            }
        )


@dataclass(frozen=True, slots=True)
class HashParameters:
    """argon2id cost parameters (the defaults are argon2-cffi's RFC 9106 low-memory profile)."""

    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4

    def hasher(self) -> PasswordHasher:
        """A hasher using these parameters."""
        return PasswordHasher(
            time_cost=self.time_cost,
            memory_cost=self.memory_cost_kib,
            parallelism=self.parallelism,
        )


class Passwords:
    """Hashes and checks passwords with one set of parameters."""

    def __init__(self, parameters: HashParameters | None = None) -> None:
        self._hasher = (parameters or HashParameters()).hasher()
        # Checked against when the user name is unknown, so that a miss costs as
        # long as a wrong password and timing does not tell which names exist.
        self._decoy = self._hasher.hash("not a password anyone can type\x00")

    def hash(self, password: str) -> str:
        """A new argon2id hash of ``password``."""
        return self._hasher.hash(password)

    def matches(self, stored_hash: str, password: str) -> bool:
        """Whether ``password`` is the one ``stored_hash`` was made from."""
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def spend_decoy(self, password: str) -> None:
        """Take as long as a real check, for an unknown user name."""
        self.matches(self._decoy, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        """Whether the stored hash was made with other parameters than ours."""
        return self._hasher.check_needs_rehash(stored_hash)
