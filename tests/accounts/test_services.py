import pytest
from sqlalchemy import func, select

from nanum.accounts import services
from nanum.accounts.models import User
from nanum.errors import Invalid
from nanum.extensions import db

STRONG = "a river runs through it"


def user_count():
    return db.session.scalar(select(func.count(User.id)))


def test_register_normalises_email_and_hashes_password(app):
    user = services.register(name=" Wanjiru ", email="  Wanjiru@Example.ORG ", password=STRONG)
    assert user.email == "wanjiru@example.org"
    assert user.name == "Wanjiru"
    assert user.password_hash.startswith("scrypt:")
    assert STRONG not in user.password_hash
    assert services.authenticate("WANJIRU@example.org", STRONG) == user


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "x" * 300 + "@example.org"])
def test_register_refuses_bad_email(app, email):
    with pytest.raises(Invalid) as caught:
        services.register(name="A", email=email, password=STRONG)
    assert "email" in caught.value.errors
    assert user_count() == 0


def test_register_refuses_taken_email_case_insensitively(app):
    services.register(name="A", email="a@example.org", password=STRONG)
    with pytest.raises(Invalid) as caught:
        services.register(name="B", email="A@EXAMPLE.org", password=STRONG)
    assert "already exists" in caught.value.errors["email"]
    assert user_count() == 1


@pytest.mark.parametrize("password, reason", [
    ("short", "at least 10"),
    ("1234567890", "most common"),
    ("qwertyuiop", "most common"),
    ("aaaaaaaaaaaa", "too few"),
    ("wanjiru-secret", "name or email"),
])
def test_register_refuses_weak_passwords(app, password, reason):
    with pytest.raises(Invalid) as caught:
        services.register(name="Wanjiru", email="wanjiru@example.org", password=password)
    assert reason in caught.value.errors["password"]
    assert user_count() == 0


def test_authenticate_rejects_wrong_password_and_inactive_users(app, make):
    user = make.user(email="p@example.org")
    assert services.authenticate("p@example.org", "wrong password!") is None
    assert services.authenticate("nobody@example.org", "whatever12345") is None
    user.active = False
    db.session.commit()
    assert services.authenticate("p@example.org", "correct horse battery") is None


def test_load_user_needs_current_session_token(app, make):
    user = make.user()
    cookie_id = user.get_id()
    assert services.load_user(cookie_id) == user
    user.set_password(STRONG)
    db.session.commit()
    assert services.load_user(cookie_id) is None
    assert services.load_user("abc") is None
    assert services.load_user(f"{user.id}:") is None


def test_reset_token_works_once(app, make):
    user = make.user()
    token = services.reset_token(user)
    assert services.user_for_reset_token(token) == user
    services.reset_password(token, STRONG)
    assert user.check_password(STRONG)
    with pytest.raises(Invalid, match="already been used"):
        services.reset_password(token, "another good phrase")
    assert user.check_password(STRONG)


def test_reset_token_expires(app, make):
    user = make.user()
    token = services.reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    with pytest.raises(Invalid, match="expired"):
        services.user_for_reset_token(token)


def test_reset_token_tampered(app, make):
    user = make.user()
    token = services.reset_token(user)
    with pytest.raises(Invalid, match="not valid"):
        services.user_for_reset_token(token[:-2] + ("A" if token[-2] != "A" else "B") + "x")


def test_reset_with_weak_password_changes_nothing(app, make):
    user = make.user()
    token = services.reset_token(user)
    old_hash = user.password_hash
    with pytest.raises(Invalid):
        services.reset_password(token, "short")
    assert user.password_hash == old_hash


def test_request_password_reset_mails_a_link_only_for_accounts(app, make, tmp_path):
    app.config["MAIL_BACKEND"] = "file"
    make.user(email="p@example.org")
    with app.test_request_context():
        assert services.request_password_reset("nobody@example.org") is None
        assert services.request_password_reset("P@example.org") is not None
    mails = list((tmp_path / "instance" / "mail").glob("*.eml"))
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "To: p@example.org" in text
    assert "/reset-password/" in text


def test_change_password_checks_current(app, make):
    user = make.user()
    with pytest.raises(Invalid) as caught:
        services.change_password(user, "wrong one here", STRONG)
    assert "current_password" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        services.change_password(user, "correct horse battery", "short")
    assert "new_password" in caught.value.errors
    services.change_password(user, "correct horse battery", STRONG)
    assert user.check_password(STRONG)


def test_update_profile_validates_country(app, make):
    user = make.user()
    with pytest.raises(Invalid):
        services.update_profile(user, name="X", country="ZZ")
    with pytest.raises(Invalid):
        services.update_profile(user, name="  ")
    services.update_profile(user, name="Amina", country="tz", affiliation="Institute",
                            bio="Hello", languages="Kiswahili, English")
    db.session.refresh(user)
    assert (user.name, user.country, user.languages) == ("Amina", "TZ", "Kiswahili, English")


def test_set_role(app, make):
    user = make.user(email="m@example.org")
    services.set_role("M@example.org", "moderator")
    assert user.is_moderator and not user.is_admin
    with pytest.raises(Invalid):
        services.set_role("m@example.org", "king")
