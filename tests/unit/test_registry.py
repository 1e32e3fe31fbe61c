from scrapers.registry import expand_env, load_sources
from scrapers.sites import ADAPTERS


def test_every_source_is_complete_and_real_sites_are_disabled():
    sources = load_sources()
    assert sources
    for source in sources:
        assert source.publisher and source.base_url.startswith("http")
        # a portal of many publishers names no region (each page's publisher gives it), nor the made-up county
        assert source.region or source.id in ("provinces_mirror", "counties_mirror", "trouble_mirror")
        assert source.adapter in {*ADAPTERS, "pages"}
        if not source.id.endswith("_mirror"):
            assert not source.enabled, f"{source.id}: tests and the demo must never reach a real site"


def test_env_expansion(monkeypatch):
    monkeypatch.setenv("MIRROR_X_URL", "http://127.0.0.1:9999")
    assert expand_env("${MIRROR_X_URL:-http://127.0.0.1:1}") == "http://127.0.0.1:9999"
    monkeypatch.delenv("MIRROR_X_URL")
    assert expand_env("${MIRROR_X_URL:-http://127.0.0.1:1}") == "http://127.0.0.1:1"


def test_title_selection():
    source = next(s for s in load_sources() if s.id == "zhoushan_mirror")
    assert source.wants("舟山市民政局2024年工作总结和2025年工作思路")
    assert source.wants("舟山市民政事业发展“十四五”规划")
    assert not source.wants("关于2024年度养老服务补贴发放名单的公示")
