"""The test harness behaves as production does where it matters."""

from nanum.extensions import db


def test_each_request_has_its_own_database_session(app, client):
    seen = []

    @app.get("/which-session")
    def which_session():
        seen.append(db.session())
        return "ok", {"Cache-Control": "private"}  # rendered every time, never kept

    client.get("/which-session")
    client.get("/which-session")
    assert seen[0] is not seen[1]
    assert db.session() not in seen
