import pytest

from observatory import auth
from observatory.domain import Actor, PermissionDenied, Role

EXPECTED = {
    Role.PUBLIC: {"read_published"},
    Role.VIEWER: {"read_published", "read_unsuppressed"},
    Role.EDITOR: {
        "read_published",
        "read_unsuppressed",
        "import",
        "rollback",
        "edit_strategy",
        "edit_indicators",
    },
    Role.ADMIN: set(auth.ACTIONS),
}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(role):
    assert {a for a in auth.ACTIONS if auth.allowed(role, a)} == EXPECTED[role]


def test_unknown_action_is_never_allowed():
    assert not auth.allowed(Role.ADMIN, "drop_everything")


def test_require_raises_for_a_role_below_the_action():
    with pytest.raises(PermissionDenied, match="may not import"):
        auth.require(Actor("ana", Role.VIEWER), "import")


def test_require_passes_for_an_allowed_role():
    auth.require(Actor("rui", Role.EDITOR), "import")
