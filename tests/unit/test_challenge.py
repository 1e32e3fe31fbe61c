from scrapers.challenge import looks_like_challenge
from tests.conftest import page


def test_ruishu_412_is_a_challenge():
    assert looks_like_challenge(412, page("trouble_challenge_412.html"))


def test_cookie_521_is_a_challenge():
    assert looks_like_challenge(521, page("trouble_challenge_521.html"))


def test_ordinary_pages_are_not_challenges():
    assert not looks_like_challenge(200, page("jcms_article.html"))
    assert not looks_like_challenge(412, b"<html>Precondition Failed</html>")
    assert not looks_like_challenge(404, b"<html>not found</html>")


def test_a_200_that_is_only_a_challenge_script_is_recognised():
    assert looks_like_challenge(200, page("trouble_challenge_521.html"))
