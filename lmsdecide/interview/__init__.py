"""The guided interview: plain-language answers about an organisation become a scenario.

An analyst who has never seen the scenario file answers questions about each department (what
it is, its say in the decision, whose opinion it weighs, how firmly it holds its view, which way
it leans, what it wants from a partner, when it is involved, which concerns it brings);
:func:`build_scenario` maps the answers to numbers through the declared tables of
:mod:`lmsdecide.interview.mappings` and returns a validated :class:`~lmsdecide.scenario.Scenario`.

Run it as an app (``lmsdecide interview``, notebook 08) or headless from an answers file
(``lmsdecide interview --answers answers.yaml -o my_org.yaml``; a complete example is
``data/interview/example_answers.yaml``). See docs/interview.md.
"""

from lmsdecide.interview.answers import (
    QUESTIONS,
    Answers,
    InterviewError,
    InterviewProblem,
    parse_answers,
)
from lmsdecide.interview.build import (
    CR_LIMIT,
    PriorityWeights,
    build_scenario,
    build_scenario_data,
    check_answers,
    department_ids,
    priority_weights,
    roc_weights,
)
from lmsdecide.interview.files import (
    answer_count,
    example_answers,
    load_answers,
    value_count,
)
from lmsdecide.interview.library import CONCERN_KINDS, concern_library
from lmsdecide.interview.progress import (
    Progress,
    load_progress,
    progress_path,
    save_progress,
)

__all__ = [
    "CONCERN_KINDS",
    "CR_LIMIT",
    "QUESTIONS",
    "Answers",
    "InterviewError",
    "InterviewProblem",
    "PriorityWeights",
    "Progress",
    "answer_count",
    "build_scenario",
    "build_scenario_data",
    "check_answers",
    "concern_library",
    "department_ids",
    "example_answers",
    "load_answers",
    "load_progress",
    "parse_answers",
    "priority_weights",
    "progress_path",
    "roc_weights",
    "save_progress",
    "value_count",
]
