"""``users`` commands: add, list, set-role, disable, enable, reset-password, with audit lines."""

import argparse
import io
from datetime import UTC, datetime

import pytest

from observatory import auth, cli_users
from observatory.services import accounts
from observatory.store import connect
from observatory.store import users as user_store

PASSWORD = "correct horse battery"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def store():
    opened = connect(":memory:")
    yield opened
    opened.close()


def _parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db")
    parser = argparse.ArgumentParser(prog="observatory")
    cli_users.add_parser(parser.add_subparsers(dest="command", required=True), parents=[common])
    return parser


def run(store, *argv, stdin="", prompt=None):
    out = io.StringIO()
    args = _parser().parse_args(["users", *argv])
    kwargs = {"prompt": prompt} if prompt else {}
    source = _Terminal(stdin) if prompt else io.StringIO(stdin)
    code = cli_users.run(store, args, out, stdin=source, **kwargs)
    return code, out.getvalue()


def _add(store, name="ana", role="editor"):
    return run(store, "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")


def _audit(store):
    return store.rows("SELECT actor, action, detail FROM audit_log ORDER BY id")


def test_add_with_password_stdin_creates_an_argon2id_account(store):
    code, text = _add(store)
    assert code == 0 and "ana created as editor" in text
    stored = user_store.get_user(store, "ana").password_hash
    assert stored.startswith("$argon2id$") and auth.verify_password(stored, PASSWORD)
    assert _audit(store) == [("cli", "create user", "ana as editor")]


def test_add_records_the_given_user_in_the_audit(store):
    run(store, "add", "ana", "--role", "viewer", "--password-stdin", "--user", "maria", stdin=PASSWORD)
    assert _audit(store)[0][0] == "maria"


def test_add_takes_db_from_the_parent_parser(store):
    args = _parser().parse_args(["users", "list", "--db", "x.duckdb"])
    assert args.db == "x.duckdb" and args.users_command == "list"


def test_add_prompts_twice_on_a_terminal(store):
    asked = []

    def prompt(text):
        asked.append(text)
        return PASSWORD

    code, _ = run(store, "add", "ana", "--role", "viewer", prompt=prompt)
    assert code == 0 and len(asked) == 2
    assert accounts.sign_in(
        store, "ana", PASSWORD, client="t", now=user_store.get_user(store, "ana").created_at
    ).ok


def test_add_refuses_two_different_typed_passwords(store):
    answers = iter([PASSWORD, PASSWORD + "x"])
    code, text = run(store, "add", "ana", "--role", "viewer", prompt=lambda _: next(answers))
    assert code == 2 and "differ" in text
    assert user_store.list_users(store) == []


def test_add_without_a_terminal_or_option_is_refused(store):
    code, text = run(store, "add", "ana", "--role", "viewer")
    assert code == 2 and "--password-stdin" in text


def test_add_generate_prints_the_password_once(store):
    code, text = run(store, "add", "ana", "--role", "admin", "--generate")
    assert code == 0 and text.count("generated password") == 1
    password = text.split("(shown once): ")[1].split()[0]
    assert auth.verify_password(user_store.get_user(store, "ana").password_hash, password)


def test_add_existing_name_fails_before_generating(store):
    _add(store)
    code, text = run(store, "add", "ana", "--role", "admin", "--generate")
    assert code == 2 and "already exists" in text and "generated" not in text


def test_add_short_password_is_refused(store):
    code, text = run(store, "add", "ana", "--role", "viewer", "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 12" in text


def test_add_invalid_name_is_refused(store):
    code, text = run(store, "add", "ana silva", "--role", "viewer", "--password-stdin", stdin=PASSWORD)
    assert code == 2 and "not a valid user name" in text


def test_add_public_role_is_not_a_choice(store):
    with pytest.raises(SystemExit):
        _parser().parse_args(["users", "add", "ana", "--role", "public", "--generate"])


def test_generate_and_stdin_exclude_each_other(store):
    with pytest.raises(SystemExit):
        _parser().parse_args(["users", "add", "ana", "--role", "viewer", "--generate", "--password-stdin"])


def test_list_shows_names_roles_and_state(store):
    _add(store, "zoe", "viewer")
    _add(store, "ana", "admin")
    run(store, "disable", "zoe")
    code, text = run(store, "list")
    lines = text.splitlines()
    assert (
        code == 0
        and lines[0].startswith("ana\tadmin\tactive")
        and lines[1].startswith("zoe\tviewer\tdisabled")
    )
    assert "$argon2id$" not in text


def test_list_of_no_users(store):
    assert run(store, "list") == (0, "no users\n")


def test_set_role_changes_and_audits(store):
    _add(store)
    code, text = run(store, "set-role", "ana", "admin")
    assert code == 0 and "now admin" in text
    assert user_store.get_user(store, "ana").role.value == "admin"
    assert _audit(store)[-1] == ("cli", "change role", "ana: editor -> admin")


def test_set_role_of_unknown_user_fails(store):
    code, text = run(store, "set-role", "nobody", "admin")
    assert code == 2 and "nobody" in text


def test_disable_blocks_sign_in_and_audits(store):
    _add(store)
    code, _ = run(store, "disable", "ana")
    assert code == 0 and user_store.get_user(store, "ana").disabled
    assert _audit(store)[-1] == ("cli", "disable user", "ana")
    created = user_store.get_user(store, "ana").created_at
    assert not accounts.sign_in(store, "ana", PASSWORD, client="t", now=created).ok


def test_enable_lifts_a_disable(store):
    _add(store)
    run(store, "disable", "ana")
    assert run(store, "enable", "ana")[0] == 0
    assert not user_store.get_user(store, "ana").disabled


def test_reset_password_from_stdin(store):
    _add(store)
    code, _ = run(store, "reset-password", "ana", "--password-stdin", stdin="another long passphrase\n")
    stored = user_store.get_user(store, "ana").password_hash
    assert code == 0 and auth.verify_password(stored, "another long passphrase")
    assert _audit(store)[-1] == ("cli", "reset password", "ana")


def test_reset_password_of_unknown_user_fails_before_generating(store):
    code, text = run(store, "reset-password", "nobody", "--generate")
    assert code == 2 and "generated" not in text


def test_unlock_lifts_a_sign_in_lock_and_audits(store, monkeypatch):
    monkeypatch.setattr(accounts, "REFUSAL_SECONDS", 0.0)
    _add(store)
    now = datetime.now(UTC).replace(tzinfo=None)
    for _ in range(5):
        accounts.sign_in(store, "ana", "wrong password!!", client=None, now=now)
    assert not accounts.sign_in(store, "ana", PASSWORD, client=None, now=now).ok
    code, text = run(store, "unlock", "ana")
    assert code == 0 and "lifted" in text
    assert _audit(store)[-1] == ("cli", "clear sign-in lock", "ana")
    assert accounts.sign_in(store, "ana", PASSWORD, client=None, now=now).ok


def test_unlock_of_unknown_user_fails(store):
    code, text = run(store, "unlock", "nobody")
    assert code == 2 and "nobody" in text
