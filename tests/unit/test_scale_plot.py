"""The scale benchmark's plot: one line per figure, points where the CSV has them."""

import xml.etree.ElementTree as ElementTree

from tools.scale_plot import MEMORY_SERIES, TIME_SERIES, draw, read


def test_every_figure_of_the_csv_is_a_line_with_a_point_per_run(tmp_path):
    table = tmp_path / "scale.csv"
    table.write_text(
        "documents,landing_s,full_build_s,incremental_build_s,incremental_audit_s,peak_dbt_mb,peak_audit_mb\n"
        "10000,20,80,17,4,900,880\n100000,200,800,18,4.5,1500,\n",
        encoding="utf-8",
    )
    svg = ElementTree.fromstring(draw(read(table)))
    namespace = {"svg": "http://www.w3.org/2000/svg"}
    lines = svg.findall("svg:polyline", namespace)
    assert len(lines) == len(TIME_SERIES) + len(MEMORY_SERIES)
    assert [len(line.get("points").split()) for line in lines] == [2, 2, 2, 2, 2, 1]  # no audit memory at 100k
