"""What the OpenAPI description says of every operation beyond its own answers.

flask-smorest would document a `default` error answer on each operation, which covers every
status code and so promises nothing; instead each operation lists the codes it can give, and
this plugin adds those that any of them can: 429 past the rate limit and 503 while the
database cannot be reached; on reads also 304 (a conditional GET) and 401 (a token sent that
is not valid, which every request checks).
"""

from apispec import BasePlugin

from nanum.api.common import PREFIX

EVERY_OPERATION = {"429": "TOO_MANY_REQUESTS", "503": "SERVICE_UNAVAILABLE"}
READS = {"304": "NOT_MODIFIED", "401": "UNAUTHORIZED"}


class CommonResponses(BasePlugin):
    def operation_helper(self, path=None, operations=None, **kwargs):
        if not (path or "").startswith(PREFIX + "/"):
            return
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            extra = {**EVERY_OPERATION, **(READS if method == "get" else {})}
            for status, name in extra.items():
                responses.setdefault(status, name)
