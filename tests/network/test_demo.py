"""The demo workspace holds an informant network: handlers, their informants, and the incidents in which both
are suspected across host countries and years."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_informant_network(settings: Any, tmp_path: Any) -> None:
    from shelter import demo
    from shelter.access.models import User
    from shelter.network.build import build_network
    from shelter.network.core import informants_and_handlers, shared_perpetrators, shortest_paths

    settings.SHELTER_HOME = tmp_path
    messages: list[str] = []
    demo.load_demo_workspace(messages.append)
    assert any("informant network" in m for m in messages)
    operator = User(username="operator", role="admin", is_superuser=True)
    network = build_network(operator, "UZ")
    informants, handlers = informants_and_handlers(network)
    assert informants and handlers
    [handler] = [h for h in handlers if network.nodes[h].label == "Рустам Бахтиярович Холматов"]
    shared = {s.actor: s for s in shared_perpetrators(network)}
    assert len(shared[handler].host_countries) >= 2
    informant = sorted(informants)[0]
    assert shortest_paths(network, informant, handler)[0].edges[0].kind == "informant_for"
    # the confidential handler stays out of what a visitor sees
    visitor = build_network(None, "UZ")
    assert handler not in visitor.nodes
    # loading again keeps the workspace and adds nothing
    demo.load_demo_workspace(messages.append)
    assert len(informants_and_handlers(build_network(operator, "UZ"))[1]) == len(handlers)
