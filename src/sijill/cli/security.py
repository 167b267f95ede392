"""``sijill users ...`` and ``sijill keys rotate``: accounts and the field-encryption key."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from sijill.cli.common import DbOption, JsonOption, console, emit_json, fail
from sijill.cli.groups import Groups
from sijill.errors import SijillError
from sijill.security.blind import index_records
from sijill.security.models import User
from sijill.security.roles import ROLES
from sijill.security.rotation import rotate_key
from sijill.security.sealing import load_key
from sijill.security.users import (
    change_user,
    create_user,
    get_user,
    issue_token,
    revoke_token,
    revoke_user_tokens,
)
from sijill.store.changelog import default_actor, log_change
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade

users = typer.Typer(help="User accounts and roles", no_args_is_help=True)
keys = typer.Typer(help="The field-encryption key", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        first = getpass.getpass("Password: ")
        again = getpass.getpass("Again: ")
    except EOFError:  # no terminal and stdin ended: there is no password to read
        message = "no password given (the input ended): type it, or use --password-stdin"
        raise fail(message) from None
    if first != again:
        raise fail("the passwords differ")
    return first


@users.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option("--role", help="|".join(ROLES))],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first stdin line")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a user (the first one should be an admin)."""
    password = _password(password_stdin)
    upgrade(get_engine(db))
    with transaction(db) as session:
        user = create_user(session, name, role, password, actor=default_actor())
        doc = {"user": user.name, "role": user.role}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"User [bold]{doc['user']}[/] created with role [bold]{doc['role']}[/].")


@users.command("list")
def users_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every user with their role."""
    with transaction(db) as session:
        rows = [
            {
                "user": u.name,
                "role": u.role,
                "active": u.active,
                "last_login": u.last_login.isoformat() if u.last_login else None,
            }
            for u in session.scalars(select(User).order_by(User.name))
        ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        state = "" if row["active"] else " (disabled)"
        console.print(
            f"{row['user']}\t{row['role']}{state}\tlast login: {row['last_login'] or '-'}"
        )


@users.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an API token for a user (shown once; send as ``Authorization: Bearer``)."""
    with transaction(db) as session:
        user = get_user(session, name)
        if not user.active:
            raise SijillError(f"user {user.name!r} is disabled")
        issued = issue_token(session, user, "api")
        log_change(session, action="issue_token", entity="users", entity_id=user.id)
    if as_json:
        emit_json({"user": name, "access_token": issued.secret, "token_type": "bearer"})
    else:
        sys.stdout.write(issued.secret + "\n")


def _change(
    db: str | None,
    name: str,
    *,
    role: str | None = None,
    password: str | None = None,
    active: bool | None = None,
) -> dict[str, object]:
    """Change a user (role, password, active) and say what it is now."""
    with transaction(db) as session:
        user = change_user(
            session,
            get_user(session, name),
            role=role,
            password=password,
            active=active,
            actor=default_actor(),
        )
        return {"user": user.name, "role": user.role, "active": user.active}


@users.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="User name")], db: DbOption = None
) -> None:
    """Disable an account and revoke its sessions and tokens."""
    doc = _change(db, name, active=False)
    console.print(f"User [bold]{doc['user']}[/] disabled; its sessions and tokens revoked.")


@users.command("enable")
def users_enable(
    name: Annotated[str, typer.Argument(help="User name")], db: DbOption = None
) -> None:
    """Enable a disabled account again (it signs in anew)."""
    doc = _change(db, name, active=True)
    console.print(f"User [bold]{doc['user']}[/] enabled.")


@users.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Argument(help="|".join(ROLES))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a user's role (their sessions and tokens are revoked: they sign in anew)."""
    doc = _change(db, name, role=role)
    if as_json:
        emit_json(doc)
    else:
        console.print(f"User [bold]{doc['user']}[/] now has role [bold]{doc['role']}[/].")


@users.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="User name")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first stdin line")
    ] = False,
    db: DbOption = None,
) -> None:
    """Reset a user's password (checked for strength); their sessions and tokens are revoked."""
    doc = _change(db, name, password=_password(password_stdin))
    console.print(f"Password of [bold]{doc['user']}[/] reset; its sessions and tokens revoked.")


@users.command("revoke")
def users_revoke(
    name: Annotated[
        str | None, typer.Argument(help="Revoke every session and token of this user")
    ] = None,
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin", help="Revoke the one token read from stdin")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke one token (``--token-stdin``) or every session and token of a user."""
    if (name is None) == (not token_stdin):
        raise fail("name a user, or give --token-stdin (not both)")
    with transaction(db) as session:
        if token_stdin:
            if not revoke_token(session, sys.stdin.readline().strip(), actor=default_actor()):
                raise SijillError("no such token")
            revoked = 1
        else:
            assert name is not None
            revoked = revoke_user_tokens(session, get_user(session, name), actor=default_actor())
    if as_json:
        emit_json({"revoked": revoked})
    else:
        console.print(f"{revoked} token(s) revoked.")


@keys.command("rotate")
def keys_rotate(
    db: DbOption = None,
    new_key_file: Annotated[
        Path | None, typer.Option("--new-key-file", help="Where to write the new key")
    ] = None,
    destroy_old: Annotated[
        bool, typer.Option("--destroy-old", help="Delete the old key file instead of keeping it")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Re-seal every sensitive field under a new key, then retire the old key."""
    result = rotate_key(lambda: transaction(db), new_key_file=new_key_file, destroy_old=destroy_old)
    with transaction(db) as session:
        log_change(
            session,
            action="rotate_key",
            entity="keys",
            detail={"resealed": result.resealed, "key_id": result.key_id},
        )
    if as_json:
        emit_json(result.as_json())
        return
    console.print(f"Re-sealed {result.resealed} value(s); new key in [bold]{result.key_file}[/].")
    if result.retired_key_file:
        console.print(
            f"The old key is kept at {result.retired_key_file}: it still opens older backups. "
            "Destroy it when they are gone (that destroys what it sealed)."
        )


@keys.command("reindex")
def keys_reindex(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Rebuild the keyed (HMAC) search index of sealed fields (after CLI imports)."""
    key = load_key(create=False)
    with transaction(db) as session:
        rows = index_records(session, key)
    if as_json:
        emit_json({"tokens": rows})
    else:
        console.print(f"Blind index rebuilt: {rows} token(s).")


def register(app: typer.Typer, groups: Groups) -> None:
    app.add_typer(users, name="users")
    app.add_typer(keys, name="keys")
