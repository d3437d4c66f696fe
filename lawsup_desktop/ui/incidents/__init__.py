"""警情与回访: the incident list, its filters and an incident's detail."""
