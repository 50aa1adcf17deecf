"""Plain-language headings and explanations shared by the markdown and HTML reports."""

from __future__ import annotations

HOW_TO_READ = [
    "Each rule pack encodes one system of lists and sanctions from its published rules. The "
    "auditor reads the rules, not data about people: every number describes what the rules "
    "allow or require, as of the date on the cover.",
    "Findings come first, worst first. 'High' means a rights-reducing rule without the legal "
    "basis its own jurisdiction requires, a sanction far out of proportion on the stated "
    "scales, a listing beyond the source's own maximum, or a list without notice or a way "
    "to object. 'Medium' and 'low' findings are weaker signals worth a look.",
    "Severity, gravity and the other parameters are the auditor's explicit judgments, listed "
    "at the end. Change them with --scales FILE and the numbers move; the rules do not.",
    "Some measures belong to one pack but are triggered by a list of another (a Chinese court's "
    "blacklist sets off sanctions of many agencies): counts of what one listing sets off include "
    "every pack loaded in this audit.",
]

METRICS: dict[str, tuple[str, str]] = {
    "legality": (
        "Does each sanction rest on a law strong enough to allow it?",
        "Every category, list and measure cites a legal source with its level (law, "
        "administrative regulation, departmental rule, policy document...). The table counts "
        "them by level. A finding is raised when a measure that denies or restricts something "
        "(a rights-reducing measure), or a blacklist's criteria, rests on a source below the "
        "level the pack's jurisdiction requires (the legality table in the parameters).",
    ),
    "amplification": (
        "How many sanctions does one listing set off?",
        "For each list or rating grade: how many measures, applied by how many distinct "
        "agencies, over how many actions, follow from a single entry. Counted over every "
        "pack loaded in this audit, on the audit date.",
    ),
    "spillover": (
        "Do sanctions reach areas of life unrelated to the conduct?",
        "A measure spills over when its domain (travel, finance, employment...) is unrelated "
        "to the domain of the conduct that triggered it (EU AI Act Art. 5(1)(c)(i)). Domains "
        "count as related only when they are equal or grouped together in the parameters. "
        "The share is spillover measures over the sanctions the pack defines (rewards are left "
        "out: the AI Act speaks of detrimental treatment).",
    ),
    "proportionality": (
        "Is the punishment commensurate with the wrong?",
        "ratio = severity of the measure x years it can last / gravity of the triggering "
        "conduct (AI Act Art. 5(1)(c)(ii); Guobanfa 2020 No. 49). Years are the longest "
        "planned listing period the engine gives over the list's boundary cases (an "
        "open-ended listing counts the parameter open_ended_years). Higher is worse; at or "
        "above proportionality_alarm the finding is high.",
    ),
    "collateral": (
        "Who else is punished?",
        "Measures that reach persons other than the listed subject (legal representatives, "
        "principals, actual controllers, directly responsible persons), and grades that pass "
        "from one company to another through a shared officer, with the legal basis cited.",
    ),
    "duration": (
        "How long does a listing last?",
        "The engine runs every boundary case of each list (every enum choice, yes and no, "
        "each number a rule compares with and its neighbours) on a record decided on the audit "
        "date and records the planned end. Open-ended cases end only on a later event "
        "(performance, a court's decision). Listings longer than the publication maximum of "
        "their own category, and records kept longer than they are published, are findings.",
    ),
    "due_process": (
        "Can a listed person find out, object, correct and recover?",
        "For each list and rating: whether its sources provide notice, an objection (or "
        "statement, review, reconsideration), a correction, and a repair or deletion path, "
        "and the deadlines they set. A missing notice or objection path is a high finding.",
    ),
    "governance": (
        "Does a pack gather or apply what the rules about packs forbid?",
        "When a governing pack is audited with the others: categories outside the catalogue "
        "in force, measures outside the penalty list, severe lists outside the permitted "
        "fields, without the required level of legal basis or without notice, objection and "
        "repair, and measures that compel banks or media; counted by kind and edition.",
    ),
    "vagueness": (
        "Where is the decision left to discretion?",
        "Catch-all wording ('other circumstances...') quoted from the source, on listings, "
        "exemptions and direct grades: the rule does not say in advance who is caught.",
    ),
    "conflicts": (
        "Do two rules answer the same question differently?",
        "Pairs of measures that give different effects (deny, restrict, scrutinise, reward) "
        "to the same action for the same subject on the same day. Each is proven by a witness "
        "scenario, found by running boundary cases through the engine, that `socialcredit "
        "packs test` can run; the engine's precedence (the most restrictive effect wins) "
        "decides. A reward against a sanction is a medium finding, two sanctions of "
        "different strength a low one.",
    ),
}
