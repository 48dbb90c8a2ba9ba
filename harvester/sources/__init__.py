"""Where records come from: command-line arguments as inputs (files, folders, stdin, DOIs,
PMIDs, web addresses: :mod:`.inputs`), web pages (:mod:`.web`), NCBI E-utilities
(:mod:`.pubmed`) and OAI-PMH repositories (:mod:`.oaipmh`)."""
