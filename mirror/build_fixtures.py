"""Rebuild the mirror's derived content from the seed documents in data/seeds.

The outputs are committed (PDF and DOCX bytes carry timestamps, so building them at
server start would give a new sha256 on every start and defeat incremental crawling):

    python -m mirror.build_fixtures

- generated/huzhou_2024_key_points.pdf   the 湖州 key points, only published as a PDF
- generated/cixi_2021_summary.docx       the 慈溪 summary, only published as a DOCX
- generated/zhoushan_14th_plan.json      the 十四五 plan as document-sharing page chunks,
                                         its indicator tables (专栏1, 专栏2) as real tables
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mirror.content import GENERATED_DIR, SEEDS_DIR, seed_body

PDF_CHARS_PER_LINE = 38
PDF_LINES_PER_PAGE = 60

# The two indicator tables of the 十四五 plan, read off the flattened seed text.
ZHUANLAN_1 = {
    "caption": "专栏1 “十三五”时期舟山市民政事业发展主要指标完成情况",
    "rows": [
        ["序号", "指 标", "2015年", "2020年目标值", "2020年完成情况"],
        ["1", "每千名老年人拥有社会养老床位数(张)", "40", "65", "65.2"],
        ["", "其中:护理型床位占机构床位比率(%)", "42", "51", "51"],
        ["2", "福利彩票年销售量(亿元)", "2.98", "2", "1.55"],
        ["3", "低保标准城乡一体化程度(%)", "100", "100", "100"],
        ["4", "万人拥有社会组织数量(个)", "7.9", "9.5", "12"],
        ["5", "社会工作专业人才占总人口比率()", "0.4", "1", "1"],
        ["6", "生态葬法行政村覆盖率(%)", "88.1", "95", "95"],
    ],
    "starts_with": "专栏1 “十三五”时期",
    "ends_before": "(二)发展形势",
}
ZHUANLAN_2 = {
    "caption": "专栏2 “十四五”时期舟山市民政事业发展主要指标",
    "rows": [
        ["序号", "主要指标", "2020年实际值", "2022年目标值", "2025年目标值", "指标属性"],
        ["1", "城乡居民最低生活保障标准(元/年)", "9720", "11000", "14000", "预期性"],
        ["2", "救助“一件事”惠民联办率(%)", "10", "50", "100", "预期性"],
        ["3", "未成年人救助保护中心实体化运行率(%)", "30", "100", "100", "约束性"],
        ["4", "智慧社区建设试点的县(区)数(个)", "0", "1", "1", "预期性"],
        ["5", "每万人拥有登记社会组织数(个)", "12", "13", "13", "预期性"],
        ["6", "每万人持证社会工作专业人才数(人)", "10", "12", "15", "预期性"],
        ["7", "每万老年人口拥有持证养老护理员数(人)", "16", "20", "25", "预期性"],
        ["8", "养老机构护理型床位占比(%)", "51", "55", "58", "约束性"],
        ["9", "康养联合体数(个)", "4", "10", "15", "预期性"],
        ["10", "节地生态安葬率(%)", "58", "60", "70", "预期性"],
        ["11", "数字门牌建设试点的县(区)数(个)", "0", "1", "1", "预期性"],
    ],
    "starts_with": "专栏2 “十四五”时期",
    "ends_before": "到2035年",
}


def build_docshare_chunks(seed_text: str) -> dict:
    """Split the seed into its numbered page chunks and lift the two tables out of the prose."""
    lines = seed_text.splitlines()
    banner, chunk_lines = lines[0], lines[1:]
    chunks = []
    for line in chunk_lines:
        match = re.match(r"^(\d+)、(.*)$", line)
        if match:
            chunks.append({"number": int(match.group(1)), "text": match.group(2), "table": None})
        elif chunks:
            chunks[-1]["text"] += line
    for table in (ZHUANLAN_1, ZHUANLAN_2):
        _lift_table(chunks, table)
    return {"banner": banner, "title": "舟山市民政事业发展“十四五”规划", "chunks": chunks}


def _lift_table(chunks: list[dict], table: dict) -> None:
    """Cut the flattened table out of the chunk it starts in and the one it runs into."""
    for index, chunk in enumerate(chunks):
        start = chunk["text"].find(table["starts_with"])
        if start < 0:
            continue
        following = chunks[index + 1]
        end = following["text"].find(table["ends_before"])
        chunk["text"] = chunk["text"][:start]
        chunk["table"] = {"caption": table["caption"], "rows": table["rows"]}
        following["text"] = following["text"][end:]
        return
    raise ValueError(f"table not found in seed: {table['caption']}")


def build_pdf(text: str, path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), invariant=1)
    wrapped = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        while len(paragraph) > PDF_CHARS_PER_LINE:
            wrapped.append(paragraph[:PDF_CHARS_PER_LINE])
            paragraph = paragraph[PDF_CHARS_PER_LINE:]
        if paragraph:
            wrapped.append(paragraph)
    for page_start in range(0, len(wrapped), PDF_LINES_PER_PAGE):
        pdf.setFont("STSong-Light", 11)
        y = 800
        for line in wrapped[page_start : page_start + PDF_LINES_PER_PAGE]:
            pdf.drawString(60, y, line)
            y -= 13
        pdf.showPage()
    pdf.save()


def build_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for paragraph in text.splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    document.save(str(path))


def main() -> None:
    GENERATED_DIR.mkdir(parents=True, exist_ok=True)
    build_pdf(seed_body("001_e56da56907128640.txt"), GENERATED_DIR / "huzhou_2024_key_points.pdf")
    build_docx(seed_body("002_de7a5c5b853a32a4.txt"), GENERATED_DIR / "cixi_2021_summary.docx")
    plan = build_docshare_chunks((SEEDS_DIR / "004_66b1147c1cebaaf5.txt").read_text(encoding="utf-8"))
    (GENERATED_DIR / "zhoushan_14th_plan.json").write_text(
        json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(f"fixtures written to {GENERATED_DIR}")


if __name__ == "__main__":
    main()
