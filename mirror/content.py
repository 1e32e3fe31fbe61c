"""What the offline mirror publishes: sites, columns and articles.

The work reports are the seed documents in data/seeds; around them stand filler articles
(notices, 公示, news) so that a scraper has to pick the reports out of a real-looking column.
Two portal sites of many publishers (as provincial 政务公开 platforms host every bureau's pages)
serve the corpus of other bureaus' documents in data/corpus: their summaries, plans and statistics.
Everything here is deterministic: the same catalogue on every start, so the same bytes and
ETags, so incremental crawling can be tested.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.settings import REPO_ROOT

SEEDS_DIR = REPO_ROOT / "data" / "seeds"
CORPUS_DIR = REPO_ROOT / "data" / "corpus" / "docs"
GENERATED_DIR = Path(__file__).resolve().parent / "generated"

# Where each seed's body starts: the lines above it are the disclosure header it was copied with.
SEED_BODY_STARTS = {
    "000_c62b87d9ede609d7.txt": "2024年以来",
    "001_e56da56907128640.txt": "2024年全市民政工作要点",
    "002_de7a5c5b853a32a4.txt": "市民政局2021年工作总结",
    "003_964adb30ad5d0ead.txt": "今年以来",
}


def seed_body(name: str) -> str:
    text = (SEEDS_DIR / name).read_text(encoding="utf-8")
    marker = SEED_BODY_STARTS[name]
    start = 0 if text.startswith(marker) else text.index("\n" + marker) + 1
    return text[start:]


@dataclass(frozen=True)
class Attachment:
    file_name: str  # in GENERATED_DIR
    link_text: str
    missing: bool = False  # linked but answers 404

    @property
    def download_name(self) -> str:
        digest = hashlib.md5(self.file_name.encode()).hexdigest()
        return f"{digest}{Path(self.file_name).suffix}"


@dataclass(frozen=True)
class Article:
    key: str
    title: str
    date: str  # YYYY-MM-DD
    publisher: str
    index_no: str = ""
    doc_no: str = ""
    topic: str = "民政、扶贫、救灾/其他"
    written_date: str = ""
    paragraphs: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    trouble: str = ""  # name of a misbehaviour, see mirror/misbehaviour.py

    def numeric_id(self) -> int:
        return int(hashlib.md5(self.key.encode()).hexdigest()[:7], 16)

    def hex_id(self) -> str:
        return hashlib.md5(self.key.encode()).hexdigest()


@dataclass
class Column:
    id: int
    name: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class Site:
    key: str
    kind: str  # jcms | jpaas | trs | docshare
    name: str
    webid: int
    unitid: int
    columns: list[Column] = field(default_factory=list)
    disallowed_paths: tuple[str, ...] = ()

    def article_path(self, column: Column, article: Article) -> str:
        year, month, day = (int(part) for part in article.date.split("-"))
        if self.kind == "jpaas":
            return f"/col/col{column.id}/art/{year}/art_{article.hex_id()}.html"
        if self.kind == "trs":
            return f"/col{column.id}/{year}{month:02d}/t{year}{month:02d}{day:02d}_{article.numeric_id()}.html"
        return f"/art/{year}/{month}/{day}/art_{column.id}_{article.numeric_id()}.html"

    def all_articles(self):
        for column in self.columns:
            for article in column.articles:
                yield column, article


FILLER_TITLES = (
    "关于{year}年度养老服务补贴发放名单的公示",
    "关于公布{year}年第{n}批社会组织成立登记的公告",
    "{publisher}召开{year}年第{n}季度安全生产工作会议",
    "关于开展{year}年“中华慈善日”系列活动的通知",
    "{year}年第{n}批婚姻登记预约服务调整的通知",
    "关于{year}年福利彩票公益金资助项目的公示",
    "{publisher}赴基层开展养老机构消防安全检查",
    "关于征集{year}年度民政领域民生实事项目的公告",
    "{year}年第{n}批最低生活保障对象名单公示",
    "关于做好{year}年春节期间困难群众走访慰问的通知",
)


def filler_articles(prefix: str, publisher: str, count: int, newest: dt.date) -> list[Article]:
    articles = []
    for n in range(count):
        date = newest - dt.timedelta(days=9 * n + 3)
        template = FILLER_TITLES[n % len(FILLER_TITLES)]
        title = template.format(year=date.year, n=n // len(FILLER_TITLES) + 1, publisher=publisher)
        paragraphs = (
            f"为进一步做好民政服务工作，{publisher}根据有关规定，现将有关事项通知如下。",
            "请各地各单位认真贯彻落实，如有问题请及时与我局联系。",
            f"联系电话：0580-{2000000 + n}。",
        )
        articles.append(
            Article(
                key=f"{prefix}-filler-{n}",
                title=title,
                date=date.isoformat(),
                publisher=publisher,
                paragraphs=paragraphs,
                topic="民政、扶贫、救灾/其他",
            )
        )
    return articles


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda article: (article.date, article.key), reverse=True)


# Corpus documents on the portal sites: (site, column, title and date where the sidecar gives none). A real
# page always has a title and a date; the corpus keeps what the copy lost.
CORPUS_ARTICLES = {
    "cities_01": ("provinces", 1, None, "2022-01-20"),
    "cities_02": ("provinces", 1, None, None),
    "cities_04": ("provinces", 1, None, "2025-07-15"),
    "cities_05": ("provinces", 1, None, None),
    "district_01": ("counties", 11, None, None),
    "district_03": ("counties", 11, None, None),
    "district_04": ("counties", 11, "海安市民政局2024年上半年工作总结", "2024-07-10"),
    "district_05": ("counties", 11, None, None),
    "plans_01": ("provinces", 2, None, None),
    "plans_03": ("provinces", 2, None, None),
    "plans_04": ("provinces", 2, "天津市民政事业发展“十四五”规划", None),
    "plans_05": ("provinces", 2, "宁波市民政局2023年全市民政工作要点", None),
    "plans_07": ("provinces", 2, "《重庆市民政事业发展“十四五”规划》解读", None),
    "stats_01": ("provinces", 3, None, None),
    "stats_02": ("provinces", 3, None, "2014-01-28"),
    "stats_04": ("counties", 12, "姚安县2025年社会救助统计数据", None),
    "stats_05": ("provinces", 3, None, "2016-07-11"),
}


def corpus_articles(site_key: str, column_id: int) -> list[Article]:
    articles = []
    for stem, (site, column, title, date) in CORPUS_ARTICLES.items():
        if (site, column) != (site_key, column_id):
            continue
        meta = json.loads((CORPUS_DIR / f"{stem}.meta.json").read_text(encoding="utf-8"))
        text = (CORPUS_DIR / f"{stem}.txt").read_text(encoding="utf-8")
        articles.append(
            Article(
                key=f"corpus-{stem}",
                title=meta.get("title") or title,
                date=meta.get("published_at") or date,
                publisher=meta["publisher"],
                topic="计划总结",
                paragraphs=_paragraphs(text),
            )
        )
    return articles


def build_sites(extra_fillers: int = 0) -> dict[str, Site]:
    """The catalogue; `extra_fillers` adds that many more filler articles to every column (benchmarks)."""
    zhoushan_summary = Article(
        key="zhoushan-2024-summary",
        title="舟山市民政局2024年工作总结和2025年工作思路",
        date="2025-01-22",
        publisher="舟山市民政局",
        index_no="001008009005009/2025-00100",
        topic="工作计划与总结",
        written_date="2025-01-22",
        paragraphs=_paragraphs(seed_body("000_c62b87d9ede609d7.txt")),
    )
    huzhou_notice = Article(
        key="huzhou-2024-key-points",
        title="湖州市民政局关于印发《2024年全市民政工作要点》的通知",
        date="2024-04-28",
        publisher="湖州市民政局",
        index_no="002564280/2024-00043",
        written_date="2024-04-28",
        paragraphs=(
            "各区县民政局，局机关各处室、直属各单位：",
            "现将《2024年全市民政工作要点》印发给你们，请结合实际认真抓好贯彻落实。",
            "湖州市民政局",
            "2024年4月28日",
        ),
        attachments=(Attachment("huzhou_2024_key_points.pdf", "2024年全市民政工作要点.pdf"),),
    )
    cixi_summary = Article(
        key="cixi-2021-summary",
        title="市民政局2021年工作总结",
        date="2022-03-30",
        publisher="慈溪市民政局",
        index_no="1133028241969155XE/2022-154826",
        topic="计划总结",
        written_date="2022-03-30",
        paragraphs=("市民政局2021年工作总结全文见附件。",),
        attachments=(Attachment("cixi_2021_summary.docx", "市民政局2021年工作总结.docx"),),
    )
    wenzhou_half_year = Article(
        key="wenzhou-2025-h1-summary",
        title="温州市民政局2025年上半年工作总结和下半年工作思路",
        date="2025-06-21",
        publisher="温州市民政局",
        index_no="001008003015009/2025-00104",
        topic="计划总结",
        written_date="2025-06-21",
        paragraphs=_paragraphs(seed_body("003_964adb30ad5d0ead.txt")),
    )

    zhoushan = Site(
        "zhoushan",
        "jcms",
        "舟山市民政局",
        webid=3177,
        unitid=7254869,
        columns=[
            Column(
                1229282406,
                "工作计划与总结",
                _newest_first(
                    [zhoushan_summary]
                    + filler_articles("zs-plan", "舟山市民政局", 39 + extra_fillers, dt.date(2025, 3, 30))
                ),
            ),
            Column(
                1229282410,
                "通知公告",
                _newest_first(filler_articles("zs-notice", "舟山市民政局", 12 + extra_fillers, dt.date(2025, 5, 1))),
            ),
        ],
    )
    huzhou = Site(
        "huzhou",
        "jcms",
        "湖州市民政局",
        webid=3361,
        unitid=7385211,
        columns=[
            Column(
                1229211795,
                "计划总结",
                _newest_first(
                    [huzhou_notice]
                    + filler_articles("hz-plan", "湖州市民政局", 20 + extra_fillers, dt.date(2024, 9, 1))
                ),
            ),
        ],
    )
    cixi = Site(
        "cixi",
        "jcms",
        "慈溪市民政局",
        webid=2910,
        unitid=6870445,
        columns=[
            Column(
                1229036233,
                "计划总结",
                _newest_first(
                    [cixi_summary] + filler_articles("cx-plan", "慈溪市民政局", 8 + extra_fillers, dt.date(2022, 6, 1))
                ),
            ),
        ],
    )
    wenzhou = Site(
        "wenzhou",
        "jpaas",
        "温州市民政局",
        webid=4711,
        unitid=0,
        columns=[
            Column(
                1217813,
                "计划总结",
                _newest_first(
                    [wenzhou_half_year]
                    + filler_articles("wz-plan", "温州市民政局", 25 + extra_fillers, dt.date(2025, 10, 8))
                ),
            ),
        ],
    )
    docshare = Site("docshare", "docshare", "淘文阁", webid=0, unitid=0)
    trouble = Site(
        "trouble",
        "jcms",
        "示例县民政局",
        webid=9000,
        unitid=9000001,
        columns=[
            Column(9001, "计划总结", _newest_first(trouble_articles())),
        ],
        disallowed_paths=("/art/2025/2/1/",),
    )
    provinces = Site(  # TRS WCM, as most portals outside Zhejiang
        "provinces",
        "trs",
        "各地民政信息公开",
        webid=5100,
        unitid=5100001,
        columns=[
            Column(
                1,
                "工作总结",
                _newest_first(
                    corpus_articles("provinces", 1)
                    + filler_articles("pv-summary", "济南市民政局", 6 + extra_fillers, dt.date(2024, 5, 1))
                ),
            ),
            Column(2, "发展规划", _newest_first(corpus_articles("provinces", 2))),
            Column(3, "统计数据", _newest_first(corpus_articles("provinces", 3))),
        ],
    )
    counties = Site(
        "counties",
        "jpaas",
        "区县民政信息公开",
        webid=5200,
        unitid=0,
        columns=[
            Column(
                11,
                "计划总结",
                _newest_first(
                    corpus_articles("counties", 11)
                    + filler_articles("ct-plan", "海安市民政局", 6 + extra_fillers, dt.date(2024, 8, 1))
                ),
            ),
            Column(12, "统计数据", _newest_first(corpus_articles("counties", 12))),
        ],
    )
    # new sites go last: a site's port is the base port plus its place here
    return {site.key: site for site in (zhoushan, huzhou, cixi, wenzhou, docshare, trouble, provinces, counties)}


TROUBLE_KINDS = (
    "gbk_no_charset",  # GBK bytes, no charset in headers or meta
    "flaky_500",  # 500 twice, then 200
    "rate_limited",  # 429 with Retry-After once, then 200
    "slow",  # answers after the read timeout
    "truncated",  # Content-Length promises more than is sent
    "challenge_412",  # anti-bot challenge: 412 with a $_ts script
    "challenge_521",  # anti-bot challenge: 521 with a cookie-setting script
    "empty",  # 200 with an empty body
    "huge",  # a 20 MB page
    "robots_disallowed",  # under a path robots.txt disallows
    "malformed",  # unclosed tags and stray markup around a real report
    "missing_attachment",  # the article is fine, its attachment answers 404
)


def trouble_articles() -> list[Article]:
    articles = []
    base = dt.date(2025, 2, 1)
    for n, kind in enumerate(TROUBLE_KINDS):
        date = base if kind == "robots_disallowed" else base + dt.timedelta(days=n + 1)
        attachments = ()
        if kind == "missing_attachment":
            attachments = (Attachment("does_not_exist.pdf", "附件：工作台账.pdf", missing=True),)
        articles.append(
            Article(
                key=f"trouble-{kind}",
                title=f"示例县民政局2024年工作总结（{kind}）",
                date=date.isoformat(),
                publisher="示例县民政局",
                index_no=f"000000000/2025-{n:05d}",
                paragraphs=(
                    "2024年，全县民政系统坚持以人民为中心，各项工作取得新成效。",
                    f"全年发放低保金{1200 + n}万元，低保标准提高至每人每月{900 + n}元。",
                    "新增养老机构床位120张，建成老年食堂15个。",
                ),
                attachments=attachments,
                trouble=kind,
            )
        )
    return articles
