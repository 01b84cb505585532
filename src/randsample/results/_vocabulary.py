"""The closed vocabularies of a result: categories, sub-types, methods, follow-ups, states.

Every term has a stable ASCII code (what records and files carry) and the official Chinese
label (what people read); either is accepted on input. The lists follow the result form of a
provincial platform (GuanzhouSong/ZhejiangMicroEnt, ``scresult/scresultinsert_edit.jsp`` and
``PubScentResult.java``; see ``docs/spec.md`` section 13.1 for the table).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from ..errors import InvalidInputError, InvalidTypeError

__all__ = [
    "CATEGORIES",
    "FOLLOW_UPS",
    "METHODS",
    "PROBLEM_CATEGORIES",
    "REPLACEMENT_REASONS",
    "STATES",
    "SUBTYPES",
    "TRANSITIONS",
    "Term",
    "term",
]


@attrs.frozen
class Term:
    """One entry of a closed vocabulary: its ASCII code and its official Chinese label.

    >>> CATEGORIES["corrected"].label
    '发现问题经责令已改正'
    """

    code: str
    label: str

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


def _vocabulary(*pairs: tuple[str, str]) -> Mapping[str, Term]:
    return MappingProxyType({code: Term(code, label) for code, label in pairs})


#: Result categories (检查结果) of the platform's result form.
CATEGORIES: Mapping[str, Term] = _vocabulary(
    ("no-problem", "未发现问题"),
    ("corrected", "发现问题经责令已改正"),
    ("pending-follow-up", "发现问题待后续处理"),
    ("no-relevant-activity", "未发现开展本次抽查涉及的经营活动"),
    ("closed-or-liquidating", "已关闭停业或正在组织清算"),
    ("refused-inspection", "不配合检查情节严重"),
    ("deregistered", "注销"),
    ("licence-revoked", "被吊销"),
    ("registration-cancelled", "被撤销"),
    ("moved-out", "迁出"),
)

#: Sub-types of 发现问题待后续处理 (one or more is required for that category, none otherwise).
SUBTYPES: Mapping[str, Term] = _vocabulary(
    ("undisclosed-information", "未按规定公示应当公示的信息"),
    ("false-disclosure", "公示信息隐瞒真实情况弄虚作假"),
    ("unreachable-at-address", "通过登记的住所（经营场所）无法联系"),
    ("other-violation", "其他违法违规行为"),
)

#: Inspection methods (核查方式).
METHODS: Mapping[str, Term] = _vocabulary(
    ("on-site", "实地核查"),
    ("written", "书面检查"),
    ("online", "网络监测"),
    ("data-sharing", "信息共享"),
    ("testing", "检验检测"),
    ("professional-agency", "委托专业机构"),
    ("department-findings", "行政部门检查结果或专业意见"),
    ("video", "视频检查"),
)

#: Follow-up measures (后续处置措施); ``none`` cannot be combined with another.
FOLLOW_UPS: Mapping[str, Term] = _vocabulary(
    ("none", "无需后续处置"),
    ("stop-inspection", "停止检查"),
    ("order-correction", "责令改正"),
    ("refer-case", "移送案件线索"),
    ("notify-department", "抄告"),
    ("abnormal-operations-list", "列入经营异常名录"),
)

#: Audit states (审核状态), in the order a result normally passes through them.
STATES: Mapping[str, Term] = _vocabulary(
    ("not-entered", "未录入"),
    ("pending-review", "待审核"),
    ("returned", "审核退回"),
    ("approved", "审核通过"),
    ("published", "已公示"),
    ("closed", "完结"),
)

#: The legal moves of the state machine: 未录入 → 待审核 → 审核退回 (→ 待审核 again) or
#: 审核通过 → 已公示 → 完结. Anything else raises IllegalTransitionError.
TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "not-entered": frozenset({"pending-review"}),
        "pending-review": frozenset({"returned", "approved"}),
        "returned": frozenset({"pending-review"}),
        "approved": frozenset({"published"}),
        "published": frozenset({"closed"}),
        "closed": frozenset(),
    }
)

#: Categories counted as 发现问题 by default (a finding of a violation).
PROBLEM_CATEGORIES: frozenset[str] = frozenset(
    {"corrected", "pending-follow-up", "refused-inspection"}
)

#: Reasons a drawn unit may be replaced: data errors that put it outside the task's scope.
#: Everything that happened *to the enterprise* is a result category instead.
REPLACEMENT_REASONS: Mapping[str, Term] = _vocabulary(
    ("outside-scope", "不属于本次抽查范围（名录库数据错误）"),
    ("duplicate-entry", "名录库重复记录"),
    ("wrong-jurisdiction", "不属于本级管辖（登记机关或属地数据错误）"),
    ("wrong-entity-type", "市场主体类型数据错误"),
)


def term(value: object, field: str, vocabulary: Mapping[str, Term], what: str) -> str:
    """Return the code of ``value``, given as a code or as the Chinese label.

    >>> term("已公示", "state", STATES, "an audit state")
    'published'
    >>> term("lost", "category", CATEGORIES, "a result category")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: category: is not a result category (one of ...), got 'lost'
    """
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, f"{what} (a code or its Chinese label)")
    if value in vocabulary:
        return value
    for entry in vocabulary.values():
        if entry.label == value:
            return entry.code
    raise InvalidInputError(field, value, f"is not {what} (one of {', '.join(vocabulary)})")
