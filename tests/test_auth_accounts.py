"""Pure account policy: argon2id hashing, password and name rules, throttling, session expiry."""

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from observatory import auth
from observatory.domain import Role

PASSWORD = "correct horse battery"
T0 = datetime(2024, 5, 1, 9, 0)
POLICY = auth.ThrottlePolicy(max_failures=5, window=timedelta(minutes=15), lockout=timedelta(minutes=15))
SECOND = timedelta(seconds=1)


def test_hash_is_argon2id():
    assert auth.hash_password(PASSWORD).startswith("$argon2id$")


def test_hash_carries_at_least_the_owasp_parameters():
    assert "$m=19456,t=2,p=1$" in auth.hash_password(PASSWORD)
    assert auth.ARGON2_PARAMETERS["memory_cost"] >= 19_456
    assert auth.ARGON2_PARAMETERS["time_cost"] >= 2


def test_two_hashes_of_one_password_differ_by_their_salt():
    assert auth.hash_password(PASSWORD) != auth.hash_password(PASSWORD)


def test_right_password_verifies():
    assert auth.verify_password(auth.hash_password(PASSWORD), PASSWORD)


def test_wrong_password_is_refused():
    assert not auth.verify_password(auth.hash_password(PASSWORD), PASSWORD + "!")


def test_unreadable_hash_is_refused_not_raised():
    assert not auth.verify_password("not a hash", PASSWORD)


def test_current_hash_needs_no_rehash():
    assert not auth.needs_rehash(auth.hash_password(PASSWORD))


def test_hash_with_weaker_parameters_needs_rehash():
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    assert auth.needs_rehash(weak)


def test_unreadable_hash_needs_rehash():
    assert auth.needs_rehash("not a hash")


def test_dummy_verify_accepts_any_password():
    auth.dummy_verify(PASSWORD)
    auth.dummy_verify("")


def test_generated_password_passes_the_policy_and_is_random():
    first, second = auth.generate_password(), auth.generate_password()
    auth.check_password(first)
    assert first != second and len(first) == 20


def test_short_password_is_refused():
    with pytest.raises(auth.AccountError, match="at least 12"):
        auth.check_password("x" * 11)


def test_very_long_password_is_refused():
    with pytest.raises(auth.AccountError, match="at most"):
        auth.check_password("x" * (auth.MAX_PASSWORD_LENGTH + 1))


@pytest.mark.parametrize("name", ["ana", "j.silva", "ops-team_2", "ana@camara.pt", "a" * 64])
def test_valid_user_names(name):
    auth.check_user_name(name)


@pytest.mark.parametrize("name", ["", " ana", "ana silva", ".ana", "a" * 65, "ana;drop", "é"])
def test_invalid_user_names(name):
    with pytest.raises(auth.AccountError):
        auth.check_user_name(name)


def test_public_is_not_an_account_role():
    with pytest.raises(auth.AccountError):
        auth.check_account_role(Role.PUBLIC)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.ADMIN])
def test_account_roles(role):
    auth.check_account_role(role)


def _failures(*minutes):
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_four_failures_do_not_throttle():
    assert not auth.throttled(_failures(0, 1, 2, 3), T0 + timedelta(minutes=4), POLICY)


def test_five_failures_in_the_window_throttle():
    assert auth.throttled(_failures(0, 1, 2, 3, 4), T0 + timedelta(minutes=5), POLICY)


def test_five_failures_spread_beyond_the_window_do_not_throttle():
    assert not auth.throttled(_failures(0, 4, 8, 12, 16), T0 + timedelta(minutes=17), POLICY)


def test_lock_lasts_the_lockout_after_the_last_failure():
    failures = _failures(0, 1, 2, 3, 4)
    assert auth.throttled(failures, T0 + timedelta(minutes=18, seconds=59), POLICY)
    assert not auth.throttled(failures, T0 + timedelta(minutes=19), POLICY)


def test_failures_after_now_are_ignored():
    assert not auth.throttled(_failures(10, 11, 12, 13, 14), T0, POLICY)


def test_policies_are_declared_for_account_device_and_client():
    assert set(auth.THROTTLES) == {"account", "device", "client"}
    assert all(p.max_failures == 5 for p in auth.THROTTLES.values())


def _session(started_minutes_ago, seen_minutes_ago, now):
    return auth.Session(
        "ana",
        Role.EDITOR,
        now - timedelta(minutes=started_minutes_ago),
        now - timedelta(minutes=seen_minutes_ago),
    )


def test_fresh_session_is_valid():
    assert auth.session_valid(_session(5, 1, T0), T0)


def test_idle_session_expires():
    assert not auth.session_valid(_session(40, 30, T0), T0)
    assert auth.session_valid(_session(40, 29, T0), T0)


def test_active_session_expires_after_the_absolute_limit():
    assert not auth.session_valid(_session(8 * 60, 1, T0), T0)
    assert auth.session_valid(_session(8 * 60 - 1, 1, T0), T0)


def test_session_limits_can_be_set():
    session = _session(20, 10, T0)
    assert not auth.session_valid(session, T0, idle=timedelta(minutes=5))
    assert not auth.session_valid(session, T0, absolute=timedelta(minutes=15))


def test_backoff_doubles_after_the_free_failures():
    # Three free failures, then 1 s, 2 s after the last one before the next attempt is checked.
    three = [T0, T0 + SECOND, T0 + 2 * SECOND]
    assert auth.throttled(three, T0 + 2.5 * SECOND, POLICY)
    assert not auth.throttled(three, T0 + 3 * SECOND, POLICY)
    four = [*three, T0 + 3 * SECOND]
    assert auth.throttled(four, T0 + 4.9 * SECOND, POLICY)
    assert not auth.throttled(four, T0 + 5 * SECOND, POLICY)
    assert auth.throttled([*four, T0 + 5 * SECOND], T0 + timedelta(minutes=15), POLICY)  # locked
    assert not auth.throttled([*four, T0 + 5 * SECOND], T0 + timedelta(minutes=15, seconds=5), POLICY)


def test_what_a_policy_admits_at_one_instant():
    assert POLICY.admitted_at_once == 3
    assert auth.ThrottlePolicy(backoff=timedelta(0)).admitted_at_once == 5


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" ana ", "ana"),
        ("ａｎａ", "ana"),  # full-width letters fold to ASCII (NFKC)
        ("ana\u200b", None),  # zero-width space: not a name
        ("a" * 64, "a" * 64),
        ("a" * 65, None),
        ("x" * 2_000_000, None),
        ("ana\r=2+5", None),
        ("", None),
    ],
)
def test_typed_names_are_normalised_and_bounded(typed, expected):
    assert auth.normalise_name(typed) == expected


PROXY = ("10.0.0.5",)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", [], (), "203.0.113.7"),  # a client straight to the app
        ("203.0.113.7", ["198.51.100.1"], (), None),  # a client that names another address
        (None, [], PROXY, None),  # no address at all: no bucket, never a shared one
        ("10.0.0.5", ["198.51.100.1"], PROXY, "198.51.100.1"),  # through the proxy
        (
            "10.0.0.5",
            ["1.2.3.4, 198.51.100.1"],
            PROXY,
            "198.51.100.1",
        ),  # what the client put first is ignored
        ("10.0.0.5", ["1.2.3.4", "198.51.100.1"], PROXY, "198.51.100.1"),  # two header lines
        ("10.0.0.5", ["198.51.100.1, 10.0.0.5"], PROXY, "198.51.100.1"),  # proxies are skipped
        ("10.0.0.5", [], PROXY, None),  # a proxy that names nobody
        ("10.0.0.5", ["not-an-ip"], PROXY, None),
        ("10.0.0.9", ["198.51.100.1"], ("10.0.0.0/24",), "198.51.100.1"),  # a network of proxies
        ("2001:db8::1", [], (), "2001:db8::1"),
    ],
)
def test_client_address_only_believes_trusted_proxies(peer, forwarded, trusted, expected):
    assert auth.client_address(peer, forwarded, trusted) == expected


def test_varying_forwarded_for_from_an_untrusted_peer_never_makes_new_clients():
    found = {auth.client_address("203.0.113.7", [f"198.51.100.{i}"], ()) for i in range(50)}
    assert found == {None}
    via_proxy = {auth.client_address("10.0.0.5", [f"198.51.100.{i}, 203.0.113.7"], PROXY) for i in range(50)}
    assert via_proxy == {"203.0.113.7"}


@pytest.mark.parametrize(
    ("reported", "forwarded", "expected"),
    [
        ("198.51.100.1", ["198.51.100.1"], "127.0.0.1"),  # the server replaced a loopback peer
        ("198.51.100.1", ["1.2.3.4, 198.51.100.1, 127.0.0.1"], "127.0.0.1"),
        ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),  # a remote peer that sent the header
        ("203.0.113.7", [], "203.0.113.7"),
        (None, ["198.51.100.1"], None),
    ],
)
def test_connection_peer_undoes_the_servers_own_forwarded_for(reported, forwarded, expected):
    assert auth.connection_peer(reported, forwarded) == expected


def test_spoofed_forwarded_for_on_the_loopback_gives_no_client_without_a_trusted_proxy():
    # What Streamlit reports for a visitor on this machine who sends X-Forwarded-For: its chosen address.
    found = set()
    for i in range(20):
        header = [f"198.51.100.{i}"]
        found.add(auth.client_address(auth.connection_peer(f"198.51.100.{i}", header), header, ()))
    assert found == {None}
    behind = auth.client_address(
        auth.connection_peer("203.0.113.9", ["6.6.6.6, 203.0.113.9"]),
        ["6.6.6.6, 203.0.113.9"],
        ("127.0.0.1",),
    )
    assert behind == "203.0.113.9"
