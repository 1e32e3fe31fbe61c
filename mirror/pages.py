"""HTML and XML of the mirror's pages, shaped like the Hanweb JCMS / JPaaS sites they copy."""

from __future__ import annotations

import json
from html import escape

from mirror.content import Article, Column, Site

PER_PAGE = 15
TRS_PER_PAGE = 8  # small, so that the mirror's TRS columns page

_NAV = """<div class="top-bar"><div class="w1200"><span class="date">今天是：<script>document.write(new Date().toLocaleDateString())</script></span>
<a href="javascript:void(0)" onclick="zoom()">无障碍浏览</a> | <a href="/">长者模式</a> | <a href="/col/col1/index.html">English</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{name}"></div>
<form class="search" action="/jrobot/search.do"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/col/col2/index.html">机构概况</a></li><li><a href="/col/col3/index.html">政务公开</a></li>
<li><a href="/col/col4/index.html">政务服务</a></li><li><a href="/col/col5/index.html">互动交流</a></li><li><a href="/col/col6/index.html">专题专栏</a></li></ul>"""

_FOOTER = """<div class="footer"><p>主办单位：{name} &nbsp; 地址：人民路1号 &nbsp; 邮编：316000</p>
<p><a href="https://beian.miit.gov.cn/">浙ICP备05012345号-1</a> &nbsp; 网站标识码：3309000012 &nbsp; 浙公网安备 33090202000123号</p>
<p><a href="/col/col7/index.html">网站地图</a> | <a href="/col/col8/index.html">联系我们</a> | 建议使用1920*1080分辨率</p></div>
<script src="/script/hanweb.js"></script><script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>"""


def _page(name: str, title: str, body: str, head_extra: str = "", charset_meta: bool = True) -> str:
    charset = '<meta charset="utf-8">\n' if charset_meta else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>{charset}<meta http-equiv="X-UA-Compatible" content="IE=edge">
{head_extra}<title>{escape(title)}</title>
<link rel="stylesheet" href="/css/style.css"><style>.w1200{{width:1200px;margin:0 auto}}</style>
<script src="/script/jquery.min.js"></script></head>
<body>{_NAV.format(name=escape(name))}
{body}
{_FOOTER.format(name=escape(name))}
</body></html>"""


def record_li(site: Site, column: Column, article: Article) -> str:
    href = site.article_path(column, article)
    return (
        f'<li><a href="{href}" title="{escape(article.title)}" target="_blank">{escape(article.title)}</a>'
        f'<span class="bt-data-time">{article.date}</span></li>'
    )


def jcms_column_page(site: Site, column: Column) -> str:
    records = "".join(
        f"<record><![CDATA[{record_li(site, column, article)}]]></record>" for article in column.articles[:PER_PAGE]
    )
    proxy = (
        f"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={site.webid}&path=/&columnid={column.id}"
        f"&unitid={site.unitid}&webname={escape(site.name)}&permissiontype=0"
    )
    body = f"""<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col3/index.html">政务公开</a> &gt; {escape(column.name)}</div>
<div class="main"><div class="left-menu"><h3>{escape(column.name)}</h3></div>
<div class="right-list" id="{site.unitid}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{proxy}"></a>]]></nextgroup>
<recordset>{records}</recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/jpage.js" charset="utf-8"></script>
<script>var jpage = new JPage({{unitid:{site.unitid}, perpage:{PER_PAGE}, totalRecord:{len(column.articles)}}});</script></div></div>"""
    return _page(site.name, f"{column.name} - {site.name}", body)


def jcms_dataproxy(site: Site, column: Column, start: int, end: int) -> str:
    total = len(column.articles)
    chosen = column.articles[max(start - 1, 0) : end]
    records = "".join(f"<record><![CDATA[{record_li(site, column, article)}]]></record>" for article in chosen)
    pages = -(-total // PER_PAGE)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
        f"<totalpage>{pages}</totalpage><recordset>{records}</recordset></datastore>"
    )


def jpaas_column_page(site: Site, column: Column) -> str:
    body = f"""<div class="crumb">当前位置：首页 &gt; 信息公开 &gt; {escape(column.name)}</div>
<div id="list-{column.id}" class="list-content" data-pageid="{column.id}" data-webid="{site.webid}"></div>
<script>$.get("/api-gateway/jpaas-publish-server/front/page/build/unit", {{parseType:"bulidstatic", webId:"{site.webid}",
pageType:"column", pageId:"{column.id}", paramJson:JSON.stringify({{pageNo:1,pageSize:"15"}})}}, render);</script>"""
    return _page(site.name, f"{column.name} - {site.name}", body)


def jpaas_list_json(site: Site, column: Column, page_no: int, page_size: int) -> str:
    chosen = column.articles[(page_no - 1) * page_size : page_no * page_size]
    items = "".join(record_li(site, column, article) for article in chosen)
    html = f'<ul class="news-list">{items}</ul>' if items else '<div class="no-data">暂无数据</div>'
    return json.dumps({"success": True, "code": 200, "data": {"html": html}}, ensure_ascii=False)


def _meta_table(article: Article) -> str:
    rows = (
        ("索引号：", article.index_no, "主题分类：", article.topic),
        ("发布机构：", article.publisher, "成文日期：", article.written_date or article.date),
        ("文件编号：", article.doc_no, "发布日期：", article.date),
    )
    cells = "".join(
        "<tr>"
        + "".join(f'<td class="{"label" if i % 2 == 0 else "value"}">{escape(v)}</td>' for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<table class="xxgk-table" width="100%">{cells}</table>'


def article_page(site: Site, column: Column, article: Article, attachment_href=None, charset_meta: bool = True) -> str:
    head = (
        f'<meta name="SiteName" content="{escape(site.name)}">\n'
        f'<meta name="ColumnName" content="{escape(column.name)}">\n'
        f'<meta name="ArticleTitle" content="{escape(article.title)}">\n'
        f'<meta name="PubDate" content="{article.date} 09:30">\n'
        f'<meta name="ContentSource" content="{escape(article.publisher)}">\n'
    )
    paragraphs = "\n".join(f'<p style="text-indent:2em;">{escape(p)}</p>' for p in article.paragraphs)
    links = ""
    if article.attachments:
        href = attachment_href or (lambda a: f"/module/download/downfile.jsp?classid=0&filename={a.download_name}")
        links = (
            '<div class="fujian">附件：'
            + "".join(
                f'<p><a href="{href(a)}" target="_blank">{escape(a.link_text)}</a></p>' for a in article.attachments
            )
            + "</div>"
        )
    crumb = "首页 &gt; 信息公开 &gt; " + escape(column.name)
    body = f"""<div class="bt-position">当前位置：{crumb}</div>
<div class="article">{_meta_table(article)}
<div class="article-title"><h1>{escape(article.title)}</h1></div>
<div class="article-info">发布日期：{article.date} 访问次数：<span id="hits">1024</span> 信息来源：{escape(article.publisher)}
<span class="fontsize">字号：[<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>]</span></div>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{paragraphs}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
{links}
<div class="share">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a><a class="bds_qzone">QQ空间</a></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div></div>"""
    return _page(site.name, article.title, body, head_extra=head, charset_meta=charset_meta)


def docshare_page(plan: dict) -> str:
    chunks = []
    for chunk in plan["chunks"]:
        table = ""
        if chunk["table"]:
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in chunk["table"]["rows"]
            )
            table = f'<p class="caption">{escape(chunk["table"]["caption"])}</p><table class="doc-table">{rows}</table>'
        chunks.append(
            f'<div class="page-chunk" data-page="{chunk["number"]}">'
            f"<p>{chunk['number']}、{escape(chunk['text'])}</p>{table}</div>"
        )
    body = f"""<div class="doc-header"><h1>{escape(plan["title"])}.doc</h1><div class="doc-meta">页数：22 &nbsp; 大小：156KB &nbsp; 上传者：会员</div>
<p class="doc-banner">{escape(plan["banner"])}</p><a class="btn-download" href="/download/login.html">下载文档</a></div>
<div class="doc-content" id="contents">{"".join(chunks)}</div>
<div class="doc-more">亲，该文档总共22页，到这儿已超出免费预览范围，如果喜欢就下载吧！</div>
<div class="related"><h3>相关资源</h3><ul><li><a href="/p-2.html">某市民政事业发展规划.doc</a></li></ul></div>"""
    return _page("淘文阁", plan["title"], body)


def trs_list_page(site: Site, column: Column, page: int) -> str:
    """A TRS WCM column page: `index.html`, `index_1.html` …, entries relative to the page, and the pager
    call createPageHTML(count, current, "index", "html")."""
    count = max(-(-len(column.articles) // TRS_PER_PAGE), 1)
    chosen = column.articles[page * TRS_PER_PAGE : (page + 1) * TRS_PER_PAGE]
    items = "".join(
        f'<li><a href=".{site.article_path(column, article)[len(f"/col{column.id}") :]}" target="_blank" '
        f'title="{escape(article.title)}">{escape(article.title)}</a><span>{article.date}</span></li>'
        for article in chosen
    )
    body = f"""<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; {escape(column.name)}</div>
<div class="zfxxgk_zdgkc"><ul>{items}</ul></div>
<div class="page"><script language="JavaScript">
var currentPage = {page}; var countPage = {count};
createPageHTML({count}, {page}, "index", "html");
</script></div>"""
    return _page(site.name, f"{column.name}_{site.name}", body)


def trs_article_page(site: Site, column: Column, article: Article) -> str:
    """A TRS WCM article: metas, the 信息公开 table, the title, and the body in div.TRS_Editor; attachments
    beside the article (./P0….pdf)."""
    head = (
        f'<meta name="SiteName" content="{escape(site.name)}">\n'
        f'<meta name="ColumnName" content="{escape(column.name)}">\n'
        f'<meta name="ArticleTitle" content="{escape(article.title)}">\n'
        f'<meta name="PubDate" content="{article.date} 10:00">\n'
        f'<meta name="ContentSource" content="{escape(article.publisher)}">\n'
    )
    paragraphs = "\n".join(f'<p style="text-indent: 2em;">{escape(p)}</p>' for p in article.paragraphs)
    links = "".join(
        f'<p><a href="./{a.download_name}" oldsrc="W0{a.download_name}">{escape(a.link_text)}</a></p>'
        for a in article.attachments
    )
    body = f"""<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; {escape(column.name)}</div>
<div class="xxgk_table"><table><tr><td>索 引 号：</td><td>{escape(article.index_no)}</td><td>发布机构：</td><td>{
        escape(article.publisher)
    }</td></tr>
<tr><td>发文日期：</td><td>{article.written_date or article.date}</td><td>发布日期：</td><td>{article.date}</td></tr>
<tr><td>文　　号：</td><td>{escape(article.doc_no)}</td><td>主题分类：</td><td>{
        escape(article.topic)
    }</td></tr></table></div>
<div class="article"><h1>{escape(article.title)}</h1>
<div class="info">发布时间：{article.date} 来源：{escape(article.publisher)}</div>
<div class="TRS_Editor">{paragraphs}</div>
{f'<div class="fj">附件：{links}</div>' if links else ""}
<script>createPageHTML(1, 0, "{site.article_path(column, article).rsplit("/", 1)[1][:-5]}", "html");</script></div>"""
    return _page(site.name, f"{article.title}_{site.name}", body, head_extra=head)
