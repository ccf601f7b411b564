"""``python -m observatory users …``: manage local accounts from the command line.

The command line acts as an admin: whoever can run it can already read the database file. Passwords
are never taken as arguments (they would land in the shell history and the process list): they are
typed twice at a prompt, read from standard input with ``--password-stdin``, or generated with
``--generate`` and shown once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from observatory import auth
from observatory.domain import Actor, NotFound, ObservatoryError, Role
from observatory.services import accounts
from observatory.store import Store
from observatory.store.users import UserExists

CLI_ACTOR = Actor("cli", Role.ADMIN)
ROLE_CHOICES = [role.value for role in auth.ACCOUNT_ROLES]


class PasswordInputError(ObservatoryError):
    """No usable password was given."""


def _leaf(
    group: Any, name: str, help_text: str, parents: Sequence[argparse.ArgumentParser]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = group.add_parser(name, parents=list(parents), help=help_text)
    parser.add_argument("--user", default=CLI_ACTOR.name, help="name recorded in the audit log")
    return parser


def _password_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--generate", action="store_true", help="generate a password and print it once")
    source.add_argument("--password-stdin", action="store_true", help="read the password from stdin")


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add the ``users`` command group to an argparse subparsers object.

    Args:
        sub: What ``ArgumentParser.add_subparsers`` returned.
        parents: Parsers whose options (e.g. ``--db``) every ``users`` subcommand also takes.
    """
    users = sub.add_parser("users", help="manage local accounts")
    group = users.add_subparsers(dest="users_command", required=True)
    add = _leaf(group, "add", "create an account", parents)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLE_CHOICES)
    _password_options(add)
    _leaf(group, "list", "list the accounts", parents)
    role = _leaf(group, "set-role", "change an account's role", parents)
    role.add_argument("name")
    role.add_argument("role", choices=ROLE_CHOICES)
    for command, help_text in (
        ("disable", "stop an account signing in"),
        ("enable", "let it again"),
        ("unlock", "lift an account's sign-in lock (after repeated wrong passwords)"),
    ):
        _leaf(group, command, help_text, parents).add_argument("name")
    reset = _leaf(group, "reset-password", "give an account a new password", parents)
    reset.add_argument("name")
    _password_options(reset)


class _Io:
    """Where passwords come from and results go."""

    def __init__(self, out: TextIO, stdin: TextIO, prompt: Callable[[str], str]) -> None:
        self.out, self.stdin, self.prompt = out, stdin, prompt

    def password(self, args: argparse.Namespace) -> str:
        """The new password, from the source the options name."""
        if args.generate:
            password = auth.generate_password()
            self.out.write(f"generated password (shown once): {password}\n")
            return password
        if args.password_stdin:
            return self.stdin.readline().rstrip("\r\n")
        if not self.stdin.isatty():
            raise PasswordInputError("no terminal to type a password: use --password-stdin or --generate")
        first = self.prompt("New password: ")
        if first != self.prompt("Repeat it: "):
            raise PasswordInputError("the two passwords differ")
        return first


def _cmd_add(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    # Check before asking, so a generated password is never shown for an account that was not made.
    auth.check_user_name(args.name)
    if accounts.account_exists(store, args.name, actor=actor):
        raise UserExists(f"a user called {args.name!r} already exists")
    password = io.password(args)
    accounts.create_account(store, args.name, Role(args.role), password, actor=actor)
    io.out.write(f"user {args.name} created as {args.role}\n")


def _cmd_list(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    found = accounts.list_accounts(store, actor=actor)
    if not found:
        io.out.write("no users\n")
    for user in found:
        state = "disabled" if user.disabled else "active"
        io.out.write(f"{user.name}\t{user.role.value}\t{state}\t{user.created_at:%Y-%m-%d %H:%M}\n")


def _cmd_set_role(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    accounts.change_role(store, args.name, Role(args.role), actor=actor)
    io.out.write(f"user {args.name} is now {args.role}\n")


def _cmd_disable(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    accounts.set_disabled(store, args.name, True, actor=actor)
    io.out.write(f"user {args.name} disabled\n")


def _cmd_enable(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    accounts.set_disabled(store, args.name, False, actor=actor)
    io.out.write(f"user {args.name} enabled\n")


def _cmd_unlock(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    accounts.clear_lockout(store, args.name, actor=actor, now=datetime.now(UTC))
    io.out.write(f"sign-in lock of {args.name} lifted\n")


def _cmd_reset(store: Store, args: argparse.Namespace, io: _Io, actor: Actor) -> None:
    if not accounts.account_exists(store, args.name, actor=actor):
        raise NotFound(f"no user called {args.name!r}")
    accounts.reset_password(store, args.name, io.password(args), actor=actor)
    io.out.write(f"password of {args.name} reset\n")


COMMANDS: dict[str, Callable[[Store, argparse.Namespace, _Io, Actor], None]] = {
    "add": _cmd_add,
    "list": _cmd_list,
    "set-role": _cmd_set_role,
    "disable": _cmd_disable,
    "enable": _cmd_enable,
    "reset-password": _cmd_reset,
    "unlock": _cmd_unlock,
}


def run(
    store: Store,
    args: argparse.Namespace,
    out: TextIO,
    *,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run one ``users`` subcommand; returns the exit status (0 done, 2 refused or failed).

    Args:
        store: The database.
        args: Parsed arguments from a parser built with :func:`add_parser`.
        out: Where results and errors are written.
        stdin: Source of ``--password-stdin`` (standard input by default).
        prompt: Asks for a password without echo (``getpass.getpass`` by default).
    """
    io = _Io(out, stdin if stdin is not None else sys.stdin, prompt)
    try:
        COMMANDS[args.users_command](store, args, io, Actor(args.user, CLI_ACTOR.role))
    except ObservatoryError as exc:
        out.write(f"error: {exc}\n")
        return 2
    return 0
