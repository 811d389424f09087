"""Review of submitted practices: the submission policy, the queue, claims and decisions."""
