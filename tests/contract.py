"""The answer-object shape promised by the CLI contract (README, 'The answer object'),
checked the way outside tools check it."""

import re

REQUIRED = ("doc_id", "title", "locator", "text")


def contract_problems(obj) -> list[str]:
    out = []
    if not isinstance(obj, dict):
        return ["not an object"]
    answer = obj.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        out.append("empty answer")
        answer = ""
    if not isinstance(obj.get("grounded"), bool):
        out.append("grounded not bool")
    cits = obj.get("citations")
    if not isinstance(cits, list):
        return out + ["citations not a list"]
    numbers = {c.get("n") for c in cits}
    for c in cits:
        for k in REQUIRED:
            if not isinstance(c.get(k), str) or not c[k].strip():
                out.append(f"citation {c.get('n')} lacks {k}")
        for k in ("url", "effective_date"):
            if k not in c:
                out.append(f"citation {c.get('n')} lacks key {k}")
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer)}
    if markers - numbers:
        out.append(f"dangling markers {sorted(markers - numbers)}")
    if obj.get("grounded") is True and (not cits or not markers):
        out.append("grounded without citations/markers")
    return out
