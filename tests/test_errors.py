from flask import Blueprint


def test_404_is_a_friendly_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_500_never_shows_a_traceback(app, config, tmp_path):
    from nanum import create_app

    app = create_app({**config, "TESTING": False, "PROPAGATE_EXCEPTIONS": False},
                     instance_path=tmp_path / "other")
    boom = Blueprint("boom", __name__)

    @boom.route("/boom")
    def explode():
        raise RuntimeError("secret internals")

    app.register_blueprint(boom)
    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_413_for_oversized_uploads(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/register", data={"name": "x" * 5000})
    assert response.status_code == 413
    assert "upload limit" in response.get_data(as_text=True)


def test_json_errors_for_api_clients(client):
    response = client.get("/nothing", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"
