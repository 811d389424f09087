"""The documents a search of optional groups finds (words typed side by side), with how many
of the groups each one matches.

Each group's documents are selected once, their ids only (a materialised CTE: a plain
word's postings, read from their index alone; the GIN index for a phrase or a prefix), and
every figure that needs them is read from these: the documents found (those of any group,
less those of the parts under a NOT), how many match every group (`groups` = the number of
groups), and whether a document ranked matches a group that is not a plain word (its
coverage). Otherwise each of these would look again at the postings of every common word,
or at the text of every document of a phrase.
"""

from nanum.search.engines.postgres.translate import parts
from nanum.search.query import Not, Or


def found(conditions, plan):
    """Return the CTEs of the groups' ids and of the documents found (`found`: `id`, and
    `groups`, how many groups the document matches), or None when the plan is not its
    groups (any of them), with parts under a NOT at most. Each group's CTE is recorded in
    `conditions.groups` ({index of the group: name})."""
    if not plan.groups or plan.node is None:
        return None
    children = parts(plan.node)
    wanted = Or(tuple(plan.groups))
    if sum(child == wanted for child in children) != 1 or not all(
            child == wanted or isinstance(child, Not) for child in children):
        return None
    left_out = [child.child for child in children if isinstance(child, Not)]
    others = conditions.left_out(left_out) if left_out else None
    if left_out and others is None:
        return None
    ctes = []
    for index, group in enumerate(plan.groups):
        name = f"group_{index}"
        ctes.append(f"{name} AS MATERIALIZED "
                    f"({conditions.ids(group) or conditions.scan(group)})")
        conditions.groups[index] = name
    every = " UNION ALL ".join(f"SELECT id FROM {name}" for name in conditions.groups.values())
    # Each group's ids are distinct: a document's count is the number of groups it matches.
    where = (f" WHERE NOT EXISTS (SELECT 1 FROM ({others}) o WHERE o.id = x.id)"
             if others else "")
    ctes.append(f"found AS MATERIALIZED (SELECT x.id, count(*) AS groups "
                f"FROM ({every}) x{where} GROUP BY x.id)")
    return ctes


def every_group(plan):
    """SQL counting the documents found that match every group (with `found`)."""
    return f"SELECT count(*) FROM found WHERE groups = {len(plan.groups)}"
