"""Acronyms that name a venue and nothing else, for telling a venue run into a title's end.

A reference copied with its venue after the title ("... query processing ICDE", "... histograms
VLDB 1997", "... SIGMOD Record") leaves a lone acronym at the title's end; nothing in the word's
shape tells it from a title's own last word ("... in SQL", "... for XML", "... after CABG"), and
reading such a word off both titles of two other papers ("outcomes after CABG" / "outcomes after
PCI") would make them one title. So only a word known to name a venue is read there.

The list is written by hand from general knowledge of the large, long-running conferences and
the journals commonly cited by acronym, in every field (computing, statistics, life sciences and
medicine, physics, economics, social sciences), not from any labelled data set. Left out on
purpose: acronyms that are words or that name a title's subject as often as a venue ("chi" as
in tai chi, "soda", "fast", "date", "micro", "crypto"; "acl" the ligament, "ccs" carbon capture,
"er" the reticulum, "dac" the converter, "asr" speech recognition, "icc" the correlation, "tse"
the encephalopathy, "sdm" shared decision making, "ats", "ers", "esc", "acc", "aha", "ash",
"imc", "rss", "sp"; and words: "pods" (pea pods), "nips", "colt").
"""

from __future__ import annotations

VENUE_ACRONYMS = frozenset(
    # Databases, data mining, information retrieval, the web.
    "sigmod vldb icde edbt icdt cikm dasfaa ssdbm sstd dexa caise tods tkde vldbj "
    "kdd sigkdd icdm pakdd pkdd ecmlpkdd sigir ecir wsdm recsys icwsm "
    # Machine learning, artificial intelligence, language, vision, graphics, interaction.
    "icml neurips iclr aistats uai aaai ijcai ecai aamas jmlr jair tpami "
    "emnlp naacl eacl coling lrec tacl cvpr iccv eccv bmvc wacv accv icpr icip siggraph "
    "eurographics ijcv uist cscw ubicomp mobilehci "
    # Systems, networks, programming languages, software engineering, theory, security.
    "osdi sosp nsdi eurosys asplos isca hpca sigmetrics usenix podc spaa icdcs ipdps hpdc "
    "sigcomm infocom mobicom mobisys sensys ipsn conext globecom wcnc icnp "
    "pldi popl oopsla ecoop icfp icse issta toplas tosem stoc focs icalp lics sicomp jacm "
    "cacm tocs ndss eurocrypt asiacrypt iccad isscc icra iros icassp interspeech "
    # Life sciences, medicine, physics, chemistry, economics, social sciences.
    "ismb recomb miccai ipmi isbi amia pnas jama nejm bmj cmaj jnci jacs mnras jhep "
    "qje apsr ajps".split()
)
