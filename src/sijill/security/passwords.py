"""Password hashing with Argon2id (argon2-cffi defaults: RFC 9106 low-memory profile), and a
strength check with zxcvbn (an estimate of the guesses an attacker needs, not only a length)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

MIN_PASSWORD_LENGTH = 8
#: zxcvbn's score from 0 (too guessable) to 4; 3 is "safely unguessable" (about 10^10 guesses).
MIN_PASSWORD_SCORE = 3
#: zxcvbn's cost grows with the length; a longer passphrase is judged on its first characters.
SCORED_LENGTH = 100

_HASHER = PasswordHasher()

# A hash of a random password, verified against when the user does not exist, so that a
# missing account takes as long to refuse as a wrong password.
_DUMMY_HASH = _HASHER.hash("sijill-no-such-user")


def hash_password(password: str) -> str:
    """An Argon2id hash string of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash`` (constant work when there is no hash)."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *context: str) -> str | None:
    """Why ``password`` is too weak (too short, or guessable, also from ``context``: the user
    name and the like), or None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=[c for c in context if c])
    if result["score"] < MIN_PASSWORD_SCORE:
        feedback = result["feedback"]
        hint = " ".join([feedback.get("warning") or "", *feedback.get("suggestions", [])]).strip()
        return "the password is too easy to guess" + (f": {hint}" if hint else "")
    return None


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
