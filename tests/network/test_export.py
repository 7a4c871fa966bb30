"""Exports are read back by real readers: networkx reads GEXF and GraphML, followthemoney the FtM."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from tests.network.conftest import LEVELS, SEES, Levels

pytestmark = pytest.mark.django_db


def _export(tmp_path: Path, fmt: str, *who: str, state: str | None = None) -> Path:
    from shelter.cli import main

    out = tmp_path / f"network.{fmt}"
    args = ["network", "export", "--format", fmt, *who, "-o", str(out)] + (["--state", state] if state else [])
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_gexf_and_graphml_read_back_with_kinds_dates_and_sources(fmt: str, tmp_path: Path, levels: Levels,
                                                                 users: Any) -> None:
    out = _export(tmp_path, fmt, "--as", "editor", state="UZ")
    graph = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    seen = SEES["editor"]
    assert {data["label"] for _, data in graph.nodes(data=True) if data["kind"] == "incident"} == \
        {f"ZQINC{lv}" for lv in seen}
    employed = [d for _, _, d in graph.edges(data=True) if d["record"] == f"relationship:{levels.hub['employed'].pk}"]
    assert len(employed) == 1
    assert employed[0]["kind"] == "employed_by" and employed[0]["start"] == "2015"
    assert employed[0]["confidence"] == "high"
    assert sorted(s.split(" ")[1] for s in employed[0]["sources"].split("; ")) == sorted(f"ZQSRC{lv}" for lv in seen)
    text = out.read_text(encoding="utf-8")
    for level in set(LEVELS) - seen:
        assert f"ZQPER{level}" not in text and f"ZQSRC{level}" not in text and f"ZQREL{level}" not in text


def test_public_export_holds_only_published_records(tmp_path: Path, levels: Levels) -> None:
    graph = nx.read_graphml(_export(tmp_path, "graphml", "--public"))
    assert {d["label"] for _, d in graph.nodes(data=True) if d["label"].startswith("ZQ")} == {
        "ZQPERPUBLISHED", "ZQORGPUBLISHED", "ZQINCPUBLISHED"}


def test_ftm_export_validates_and_keeps_the_informant_link(tmp_path: Path, levels: Levels, users: Any) -> None:
    from followthemoney import model

    from shelter.connectors.ftm_entities import entity_id
    from shelter.registry.models import Relationship

    informant = levels.people["PUBLISHED"]
    to_agency = Relationship.objects.create(kind="informant_for", detail="recruited in 2017", subject_person=informant,
                                            object_organisation=levels.hub["agency"], confidentiality="public",
                                            published=True)
    out = _export(tmp_path, "ftm", "--as", "admin", state="UZ")
    entities = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(data) is None, data
        entities[data["id"]] = proxy
    to_handler = Relationship.objects.get(kind="informant_for", subject_person=informant,
                                          object_person=levels.hub["handler"])
    associate = entities[entity_id("relationship", to_handler.pk)]
    assert associate.schema.name == "Associate"
    assert associate.get("relationship") == ["informant for: source"]
    assert associate.get("person") == [entity_id("person", informant.pk)]
    representation = entities[entity_id("relationship", to_agency.pk)]
    assert representation.schema.name == "Representation"
    assert representation.get("role") == ["informant for: recruited in 2017"]
    assert representation.get("client") == [entity_id("organisation", levels.hub["agency"].pk)]
    employment = entities[entity_id("relationship", levels.hub["employed"].pk)]
    assert employment.schema.name == "Employment" and employment.get("role") == ["handler"]
    assert {p.schema.name for p in entities.values()} >= {"Person", "PublicBody", "Event", "Membership",
                                                           "Associate", "Representation", "Employment"}
    assert "UnknownLink" not in {p.schema.name for p in entities.values()}
    # the FtM export of a state holds the state's records only, and each reference points inside the file
    for proxy in entities.values():
        for prop, values in proxy.properties.items():
            if proxy.schema.get(prop).type.name == "entity":
                assert set(values) <= set(entities), (proxy.id, prop)


def test_export_refuses_bad_options_in_one_line(tmp_path: Path, db: Any) -> None:
    from shelter.cli import main

    result = CliRunner().invoke(main, ["network", "export", "--format", "gexf", "--as", "nobody", "-o",
                                       str(tmp_path / "x.gexf")])
    assert result.exit_code == 2 and "no user 'nobody'" in result.output
    assert not (tmp_path / "x.gexf").exists()
    result = CliRunner().invoke(main, ["network", "export", "--format", "gexf", "--state", "Uzbekistan?", "-o",
                                       str(tmp_path / "x.gexf")])
    assert result.exit_code == 2 and "state" in result.output


def test_writers_write_to_a_stream(levels: Levels, users: Any) -> None:
    from shelter.network.build import build_network
    from shelter.network.export import write_gexf

    buffer = io.StringIO()
    network = build_network(users["viewer"])
    assert write_gexf(buffer, network) == len(network.nodes) + len(network.edges)
    assert nx.read_gexf(io.BytesIO(buffer.getvalue().encode())).number_of_nodes() == len(network.nodes)
