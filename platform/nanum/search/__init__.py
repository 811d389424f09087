"""Full-text search.

The rest of Nanum calls `service` (to search) and, for keeping the index, the functions
it re-exports from `indexing`. Inside, one search runs through these modules in order:

- `query/`: what was typed, read leniently into a tree (`nodes`, `parser`, `words`,
  `filters` for `sdg:`, `country:` and the like, `text` to write a tree back);
- `planning`: the tree made into an engine-neutral `engine.Plan` (stop words left out,
  side-by-side words made optional groups that rank);
- `engine`: the interface every engine implements, with `Plan` and `Match`;
- `engines/`: `whoosh/` (an index folder: `engine`, `matching`, `schema`, `bitsets`,
  `postings`) and `memory` (for tests), chosen by `SEARCH_ENGINE`;
- `ranking`: BM25F and coordination, shared by the engines;
- `results`: the page's rows loaded from the database, with `snippets`.

Writing goes the other way: `documents` says what is indexed for each row and which
documents a change affects, `outbox` records them in the same transaction, and `indexing`
applies them to the engine after the commit (or in `nanum search indexer`).
`analysis` turns text into terms, the same for every engine and for snippets.
"""
