def test_login_flow(client, auth, make_user):
    user = make_user("bob", one_time=True)
    r = auth.login("bob", user.one_time_password)
    assert r.status_code == 302 and r.headers["Location"].endswith("/account/password")
    r = client.get("/")
    assert r.status_code == 302
    assert client.get("/healthz").json == {"status": "ok"}
