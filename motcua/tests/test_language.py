def test_pages_are_vietnamese_even_for_an_english_browser(client, db):
    response = client.get("/thu-tuc/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_the_language_switch_changes_the_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    assert response.status_code == 302
    response = client.get("/thu-tuc/")
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/thu-tuc/")
    assert '<html lang="vi">' in response.content.decode()


def test_static_stylesheet_is_served_in_development(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("motcua/site.css")


def test_api_clients_choose_the_language_with_accept_language(client, db):
    english = client.get("/api/v1/workdays/2026", HTTP_ACCEPT_LANGUAGE="en")
    default = client.get("/api/v1/workdays/2026")
    assert english["Content-Language"] == "en"
    assert default["Content-Language"] == "vi"
