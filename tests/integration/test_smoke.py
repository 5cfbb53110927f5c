from tickets.teams import Actor


def test_open_and_claim_round_trip(container):
    budi, andi = Actor("console:budi"), Actor("console:andi")
    opened = container.service.open(budi, "it", "Printer jammed")
    assert opened.created and opened.ticket.key == "IT-1"
    claimed = container.service.claim(andi, "it-1")
    assert claimed.assignee == "console:andi"
    assert [t.key for t in container.queries.list(budi)] == ["IT-1"]
