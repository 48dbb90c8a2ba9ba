"""HTTP for every client: the one httpx client factory (:mod:`.http`) and the one retry policy
and loop (:mod:`.retry`) that Crossref, PubMed, OAI-PMH and web fetches share."""
